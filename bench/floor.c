/* bench-floor: the floor of the vmctr benchmark.
 *
 * Parses a YAML stream with libyaml's event API and counts the documents;
 * nothing else (no tree, no validation, no output but the count).  Any
 * profile tool built on libyaml must at least do this much work, so its
 * throughput is the yardstick for `vmctr advise` in bench/run.sh.
 *
 * usage: bench-floor FILE        (prints "<documents>\n"; exit 0, 1 on error)
 */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	FILE *f;
	yaml_parser_t parser;
	yaml_event_t event;
	unsigned long docs = 0;
	int done = 0, rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bench-floor FILE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return 1;
	}
	yaml_parser_set_input_file(&parser, f);
	while (!done) {
		if (!yaml_parser_parse(&parser, &event)) {
			fprintf(stderr, "%s:%lu:%lu: error: %s\n", argv[1],
				(unsigned long)parser.problem_mark.line + 1,
				(unsigned long)parser.problem_mark.column + 1,
				parser.problem ? parser.problem : "parse error");
			rc = 1;
			break;
		}
		if (event.type == YAML_DOCUMENT_START_EVENT)
			docs++;
		done = (event.type == YAML_STREAM_END_EVENT);
		yaml_event_delete(&event);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	printf("%lu\n", docs);
	return rc;
}
