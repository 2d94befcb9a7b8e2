/* bench-noop: a no-op C program linked with libyaml and libcjson.
 *
 * The yardstick for process start-up in bench/run.sh: `vmctr advise` on one
 * small profile is compared with this program's wall time.  It references
 * one symbol of each library so that the linker keeps both as dependencies
 * (the dynamic loader then maps and relocates them, as it does for vmctr),
 * and does nothing else.
 */
#include <cjson/cJSON.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	(void)argv;
	/* never true in the benchmark; keeps both references live */
	if (argc > 99) {
		return yaml_get_version_string()[0] + cJSON_Version()[0];
	}
	return 0;
}
