/* bench-clips-peer: benchmark peer, CLIPS 6.30 as a library fed by libyaml.
 *
 * Same work as bench/peers/py_peer.py and jre_peer.js: parse every document
 * of a multi-document YAML stream (libyaml events into a small tree), assert
 * each present spec field as an ordered fact (val FIELD VALUE...) -- plus
 * (val FIELD#rank N) for ordered enums -- run the catalogue's defrules
 * (translated from rules/ by rules_to_json.py --clips: one defrule per rule,
 * Rete-matched, RHS calls (fired N)), then score, pick paradigm and platform,
 * evaluate components on the merged spec, and print one JSON report per
 * profile (cJSON, NDJSON) with the fired rules, blockers and unknowns.
 * No validation and no counterfactuals.
 *
 * usage: bench-clips-peer CATALOGUE.clp CATALOGUE-py.json CORPUS.yaml
 * build: cc -O2 clips_peer.c $(pkg-config --cflags --libs yaml-0.1 libcjson) -lclips -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <clips/clips.h>
#include <cjson/cJSON.h>
#include <yaml.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- tree */
enum { N_SCALAR, N_SEQ, N_MAP };
struct node {
	int type;
	char *s;              /* scalar value, or key when in a map */
	int plain;            /* scalar was plain (unquoted) */
	struct node **kids;   /* seq items; map: key0, val0, key1, val1... */
	size_t n, cap;
};

static struct node *node_new(int type)
{
	struct node *n = calloc(1, sizeof(*n));
	if (!n)
		abort();
	n->type = type;
	return n;
}

static void node_add(struct node *p, struct node *k)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->kids = realloc(p->kids, p->cap * sizeof(*p->kids));
		if (!p->kids)
			abort();
	}
	p->kids[p->n++] = k;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->s);
	free(n);
}

static struct node *map_get(const struct node *m, const char *key)
{
	if (!m || m->type != N_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kids[i]->type == N_SCALAR && strcmp(m->kids[i]->s, key) == 0)
			return m->kids[i + 1];
	return NULL;
}

static int is_null(const struct node *n)
{
	return !n || (n->type == N_SCALAR && n->plain &&
		      (!strcmp(n->s, "~") || !strcmp(n->s, "null") || !n->s[0]));
}

/* read one document; returns NULL at the end of the stream */
static struct node *read_doc(yaml_parser_t *p, int *err)
{
	struct node *stack[64];
	int depth = 0;
	struct node *root = NULL;
	yaml_event_t ev;

	for (;;) {
		if (!yaml_parser_parse(p, &ev)) {
			*err = 1;
			node_free(root);
			return NULL;
		}
		struct node *n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return NULL;
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			return root;
		case YAML_SCALAR_EVENT:
			n = node_new(N_SCALAR);
			n->s = strdup((const char *)ev.data.scalar.value);
			n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			break;
		case YAML_SEQUENCE_START_EVENT:
			n = node_new(N_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			n = node_new(N_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (n) {
			if (depth > 0)
				node_add(stack[depth - 1], n);
			else
				root = n;
			if (n->type != N_SCALAR) {
				if (depth >= 64) {
					*err = 1;
					return root;
				}
				stack[depth++] = n;
			}
		}
	}
}

/* ---------------------------------------------------------------- catalogue */
struct rule {
	const char *id, *category, *reference;
	cJSON *scores, *excludes, *fields;
};
static struct rule *rules;
static int nrules;
static cJSON *cat;
static const char *paradigms[] = {"vm", "container", "hybrid", "microvm"};
#define NPAR 4
static const char *platforms[16];
static int nplat;
static cJSON *platform_paradigm, *ordered, *fields_all, *swing, *categories;

static unsigned char *fired_mark;

static void fired_fn(void *env)
{
	long long i = EnvRtnLong(env, 1);
	if (i >= 0 && i < nrules)
		fired_mark[i] = 1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)len + 1);
	if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
		free(b);
		b = NULL;
	}
	if (b)
		b[len] = 0;
	fclose(f);
	return b;
}

/* ---------------------------------------------------------------- facts */
struct pfield {
	char name[64];           /* section.field */
	const struct node *v;
};

static int flatten(const struct node *spec, const struct node *comp,
		   struct pfield *out, int max)
{
	int n = 0;
	cJSON *c;
	cJSON_ArrayForEach(c, categories) {
		const char *sec = c->valuestring;
		const struct node *srcs[2] = {map_get(spec, sec),
					      comp ? map_get(comp, sec) : NULL};
		int base = n;
		for (int s = 0; s < 2; s++) {
			const struct node *m = srcs[s];
			if (!m || m->type != N_MAP)
				continue;
			for (size_t i = 0; i + 1 < m->n; i += 2) {
				char name[64];
				snprintf(name, sizeof(name), "%s.%s", sec, m->kids[i]->s);
				int at = -1;
				for (int j = base; j < n; j++)
					if (!strcmp(out[j].name, name))
						at = j;
				if (at < 0) {
					if (n >= max)
						return n;
					at = n++;
					memcpy(out[at].name, name, sizeof(name));
				}
				out[at].v = m->kids[i + 1];
			}
		}
		/* drop nulls */
		for (int j = base; j < n; j++)
			if (is_null(out[j].v)) {
				out[j] = out[--n];
				j--;
			}
	}
	return n;
}

static int is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void clips_atom(char *buf, size_t cap, size_t *len, const struct node *v)
{
	const char *s = v->s;
	if (v->plain && (!strcmp(s, "true") || !strcmp(s, "false")))
		*len += (size_t)snprintf(buf + *len, cap - *len, " %s", s[0] == 't' ? "TRUE" : "FALSE");
	else if (v->plain && is_int(s))
		*len += (size_t)snprintf(buf + *len, cap - *len, " %s", s);
	else {
		*len += (size_t)snprintf(buf + *len, cap - *len, " \"");
		for (; *s && *len + 4 < cap; s++) {
			if (*s == '"' || *s == '\\')
				buf[(*len)++] = '\\';
			buf[(*len)++] = *s;
		}
		*len += (size_t)snprintf(buf + *len, cap - *len, "\"");
	}
	if (*len >= cap)
		*len = cap - 1;
}

static cJSON *to_json(const struct node *v)
{
	if (v->type == N_SCALAR) {
		if (v->plain && (!strcmp(v->s, "true") || !strcmp(v->s, "false")))
			return cJSON_CreateBool(v->s[0] == 't');
		if (v->plain && is_int(v->s))
			return cJSON_CreateNumber(atof(v->s));
		return cJSON_CreateString(v->s);
	}
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < v->n; i++)
		if (v->kids[i]->type == N_SCALAR)
			cJSON_AddItemToArray(a, to_json(v->kids[i]));
	return a;
}

static int priority(const struct node *spec, const struct node *comp, const char *cat_)
{
	const struct node *p = comp ? map_get(comp, "priorities") : NULL;
	const struct node *v = p ? map_get(p, cat_) : NULL;
	if (!v)
		v = map_get(map_get(spec, "priorities"), cat_);
	return v && v->type == N_SCALAR && is_int(v->s) ? atoi(v->s) : 3;
}

/* evaluate spec (+ component overrides); fills *rec; optionally the rest */
static void evaluate(void *env, const struct node *spec, const struct node *comp,
		     cJSON *rec, cJSON *report)
{
	struct pfield f[128];
	int nf = flatten(spec, comp, f, 128);
	char buf[2048];

	EnvReset(env);
	for (int i = 0; i < nf; i++) {
		size_t len = (size_t)snprintf(buf, sizeof(buf), "(val %s", f[i].name);
		const struct node *v = f[i].v;
		if (v->type == N_SCALAR) {
			clips_atom(buf, sizeof(buf), &len, v);
			cJSON *ord = cJSON_GetObjectItemCaseSensitive(ordered, f[i].name);
			if (ord) {
				int r = 0;
				cJSON *o;
				cJSON_ArrayForEach(o, ord) {
					if (!strcmp(o->valuestring, v->s)) {
						char rb[160];
						snprintf(rb, sizeof(rb), "(val %.63s#rank %d)", f[i].name, r);
						EnvAssertString(env, rb);
					}
					r++;
				}
			}
		} else if (v->type == N_SEQ) {
			for (size_t k = 0; k < v->n; k++)
				if (v->kids[k]->type == N_SCALAR)
					clips_atom(buf, sizeof(buf), &len, v->kids[k]);
		} else {
			continue;
		}
		if (len + 2 < sizeof(buf)) {
			buf[len++] = ')';
			buf[len] = 0;
			EnvAssertString(env, buf);
		}
	}
	memset(fired_mark, 0, (size_t)nrules);
	EnvRun(env, -1);

	double par[NPAR] = {0}, plat[16] = {0};
	unsigned excl_par = 0, excl_plat = 0;
	cJSON *rationale = report ? cJSON_CreateArray() : NULL;
	cJSON *blockers = report ? cJSON_CreateArray() : NULL;
	for (int r = 0; r < nrules; r++) {
		if (!fired_mark[r])
			continue;
		const struct rule *ru = &rules[r];
		cJSON *x;
		if (cJSON_GetArraySize(ru->excludes) > 0) {
			cJSON_ArrayForEach(x, ru->excludes) {
				for (int k = 0; k < NPAR; k++)
					if (!strcmp(x->valuestring, paradigms[k]))
						excl_par |= 1u << k;
				for (int k = 0; k < nplat; k++)
					if (!strcmp(x->valuestring, platforms[k]))
						excl_plat |= 1u << k;
			}
			if (blockers) {
				cJSON *b = cJSON_CreateObject();
				cJSON_AddStringToObject(b, "rule", ru->id);
				cJSON_AddItemToObject(b, "excludes", cJSON_Duplicate(ru->excludes, 1));
				cJSON_AddStringToObject(b, "reference", ru->reference);
				cJSON_AddItemToArray(blockers, b);
			}
		}
		double w = priority(spec, comp, ru->category) / 3.0;
		if (w == 0 || cJSON_GetArraySize(ru->scores) == 0)
			continue;
		double total = 0;
		cJSON_ArrayForEach(x, ru->scores) {
			double c = x->valuedouble * w;
			for (int k = 0; k < NPAR; k++)
				if (!strcmp(x->string, paradigms[k])) {
					par[k] += c;
					total += c;
				}
			for (int k = 0; k < nplat; k++)
				if (!strcmp(x->string, platforms[k]))
					plat[k] += c;
		}
		if (rationale) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "rule", ru->id);
			cJSON_AddStringToObject(o, "category", ru->category);
			cJSON_AddNumberToObject(o, "contribution", total);
			cJSON_AddStringToObject(o, "reference", ru->reference);
			cJSON *because = cJSON_AddArrayToObject(o, "because");
			cJSON_ArrayForEach(x, ru->fields) {
				for (int i = 0; i < nf; i++)
					if (!strcmp(f[i].name, x->valuestring)) {
						cJSON *bb = cJSON_CreateObject();
						char full[160];
						snprintf(full, sizeof(full), "spec.%.63s", f[i].name);
						cJSON_AddStringToObject(bb, "field", full);
						cJSON_AddItemToObject(bb, "value", to_json(f[i].v));
						cJSON_AddItemToArray(because, bb);
					}
			}
			cJSON_AddItemToArray(rationale, o);
		}
	}
	int best = -1, second = -1;
	for (int k = 0; k < NPAR; k++) {
		if (excl_par == (1u << NPAR) - 1 ? 0 : (excl_par >> k) & 1)
			continue;
		if (best < 0 || par[k] > par[best]) {
			second = best;
			best = k;
		} else if (second < 0 || par[k] > par[second]) {
			second = k;
		}
	}
	double sec = second >= 0 ? par[second] : 0;
	double conf = (par[best] - sec) / (fabs(par[best]) + fabs(sec) + 1);
	conf = conf < 0 ? 0 : conf > 1 ? 1 : conf;
	int bp = -1;
	for (int k = 0; k < nplat; k++) {
		if ((excl_plat >> k) & 1)
			continue;
		const cJSON *pp = cJSON_GetObjectItemCaseSensitive(platform_paradigm, platforms[k]);
		if (best != 2 && pp && strcmp(pp->valuestring, paradigms[best]))
			continue;
		if (bp < 0 || plat[k] > plat[bp])
			bp = k;
	}
	cJSON_AddStringToObject(rec, "paradigm", paradigms[best]);
	cJSON_AddStringToObject(rec, "platform", bp >= 0 ? platforms[bp] : platforms[0]);
	cJSON_AddNumberToObject(rec, "confidence", round(conf * 1000) / 1000);
	if (!report)
		return;
	cJSON *scores = cJSON_AddObjectToObject(report, "scores");
	cJSON *sp = cJSON_AddObjectToObject(scores, "paradigms");
	for (int k = 0; k < NPAR; k++)
		cJSON_AddNumberToObject(sp, paradigms[k], par[k]);
	cJSON *sl = cJSON_AddObjectToObject(scores, "platforms");
	for (int k = 0; k < nplat; k++)
		cJSON_AddNumberToObject(sl, platforms[k], plat[k]);
	cJSON_AddItemToObject(report, "rationale", rationale);
	cJSON_AddItemToObject(report, "blockers", blockers);
	cJSON *unk = cJSON_AddArrayToObject(report, "unknowns");
	cJSON *x;
	cJSON_ArrayForEach(x, fields_all) {
		int present = 0;
		for (int i = 0; i < nf && !present; i++)
			present = !strcmp(f[i].name, x->valuestring);
		if (present)
			continue;
		cJSON *u = cJSON_CreateObject();
		char full[160];
		snprintf(full, sizeof(full), "spec.%s", x->valuestring);
		cJSON_AddStringToObject(u, "field", full);
		const cJSON *s = cJSON_GetObjectItemCaseSensitive(swing, x->valuestring);
		cJSON_AddNumberToObject(u, "swing", s ? s->valuedouble : 0);
		cJSON_AddItemToArray(unk, u);
	}
	cJSON_AddArrayToObject(report, "counterfactuals");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench-clips-peer CATALOGUE.clp CATALOGUE-py.json CORPUS.yaml\n");
		return 2;
	}
	char *js = slurp(argv[2]);
	cat = js ? cJSON_Parse(js) : NULL;
	free(js);
	if (!cat) {
		fprintf(stderr, "%s: cannot read the catalogue\n", argv[2]);
		return 4;
	}
	cJSON *rs = cJSON_GetObjectItemCaseSensitive(cat, "rules"), *x;
	nrules = cJSON_GetArraySize(rs);
	rules = calloc((size_t)nrules + 1, sizeof(*rules));
	fired_mark = calloc((size_t)nrules + 1, 1);
	int i = 0;
	cJSON_ArrayForEach(x, rs) {
		rules[i].id = cJSON_GetObjectItemCaseSensitive(x, "id")->valuestring;
		rules[i].category = cJSON_GetObjectItemCaseSensitive(x, "category")->valuestring;
		rules[i].reference = cJSON_GetObjectItemCaseSensitive(x, "reference")->valuestring;
		rules[i].scores = cJSON_GetObjectItemCaseSensitive(x, "scores");
		rules[i].excludes = cJSON_GetObjectItemCaseSensitive(x, "excludes");
		rules[i].fields = cJSON_GetObjectItemCaseSensitive(x, "fields");
		i++;
	}
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(cat, "platforms"))
		if (nplat < 16)
			platforms[nplat++] = x->valuestring;
	platform_paradigm = cJSON_GetObjectItemCaseSensitive(cat, "platform_paradigm");
	ordered = cJSON_GetObjectItemCaseSensitive(cat, "ordered");
	fields_all = cJSON_GetObjectItemCaseSensitive(cat, "fields");
	swing = cJSON_GetObjectItemCaseSensitive(cat, "swing");
	categories = cJSON_GetObjectItemCaseSensitive(cat, "categories");

	void *env = CreateEnvironment();
	EnvDefineFunction2(env, "fired", 'v', PTIEF fired_fn, "fired_fn", "11i");
	if (EnvLoad(env, argv[1]) != 1) {
		fprintf(stderr, "%s: CLIPS could not load the rules\n", argv[1]);
		return 4;
	}

	FILE *in = fopen(argv[3], "rb");
	if (!in) {
		perror(argv[3]);
		return 5;
	}
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, in);
	int err = 0;
	unsigned long n = 0;
	struct node *doc;
	while ((doc = read_doc(&p, &err)) != NULL) {
		const struct node *spec = map_get(doc, "spec");
		cJSON *rep = cJSON_CreateObject();
		cJSON_AddStringToObject(rep, "schema", "vmctr.report/v1");
		cJSON *prof = cJSON_AddObjectToObject(rep, "profile");
		const struct node *name = map_get(map_get(doc, "metadata"), "name");
		cJSON_AddStringToObject(prof, "name", name && name->type == N_SCALAR ? name->s : "");
		cJSON_AddStringToObject(prof, "file", argv[3]);
		cJSON *rec = cJSON_AddObjectToObject(rep, "recommendation");
		evaluate(env, spec, NULL, rec, rep);
		cJSON *comps = cJSON_AddArrayToObject(rep, "components");
		const struct node *cl = map_get(spec, "components");
		const char *first = NULL;
		int differ = 0;
		for (size_t k = 0; cl && cl->type == N_SEQ && k < cl->n; k++) {
			const struct node *c = cl->kids[k];
			cJSON *co = cJSON_CreateObject();
			const struct node *cn = map_get(c, "name");
			cJSON_AddStringToObject(co, "name", cn && cn->type == N_SCALAR ? cn->s : "");
			cJSON *cr = cJSON_AddObjectToObject(co, "recommendation");
			evaluate(env, spec, c, cr, NULL);
			const char *pd = cJSON_GetObjectItemCaseSensitive(cr, "paradigm")->valuestring;
			if (first && strcmp(first, pd))
				differ = 1;
			if (!first)
				first = pd;
			cJSON_AddItemToArray(comps, co);
		}
		if (first)
			cJSON_ReplaceItemInObjectCaseSensitive(rec, "paradigm",
				cJSON_CreateString(differ ? "hybrid" : first));
		char *out = cJSON_PrintUnformatted(rep);
		fputs(out, stdout);
		fputc('\n', stdout);
		cJSON_free(out);
		cJSON_Delete(rep);
		node_free(doc);
		n++;
	}
	yaml_parser_delete(&p);
	fclose(in);
	DestroyEnvironment(env);
	cJSON_Delete(cat);
	free(rules);
	free(fired_mark);
	fprintf(stderr, "clips_peer: %lu profiles\n", n);
	if (err) {
		fprintf(stderr, "%s: YAML error\n", argv[3]);
		return 3;
	}
	return 0;
}
