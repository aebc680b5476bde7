/*
 * xref: cross-references across the document set (ISO 9001:2015 clause 7.5.3).
 *
 *   xref/dangling           an ID no document carries and nothing declares external
 *   xref/obsolete-target    the cited document is obsolete / superseded / withdrawn
 *   xref/revision-mismatch  "QP-007 Rev A" when QP-007 is at C
 *   xref/broken-link        a link to a file (or a wikilink to a name) that is not there
 *   xref/broken-anchor      "#scope" / "other.md#scope" / a Word REF to a missing bookmark
 *   xref/title-mismatch     an ID cited with another document's title
 *   xref/duplicate-id       two documents claim one ID
 *   xref/master-list        the register and the set disagree
 *   xref/orphan             a controlled document nothing cites and no register lists
 *
 * check_doc extracts the references of one document (IDs in the text, pinned revisions,
 * cited titles, wikilinks, file links) into a compact record kept with api->digest_put, and
 * checks in-document anchors on the spot. check_set resolves every record against the
 * digests. The vocabulary (supersede words, external-register words, title stop words) is
 * rules/xref.yml; document-type ID prefixes come from rules/labels.yml. Built against the
 * SDK headers only; check_doc reads `state` and nothing else shared, so any number of
 * documents may be checked at once.
 */
#include <qmslint/meta.h>
#include <qmslint/plugin.h>
#include <qmslint/version.h>

#include <fnmatch.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RULE_DANGLING "xref/dangling"
#define RULE_OBSOLETE "xref/obsolete-target"
#define RULE_REVISION "xref/revision-mismatch"
#define RULE_LINK "xref/broken-link"
#define RULE_ANCHOR "xref/broken-anchor"
#define RULE_TITLE "xref/title-mismatch"
#define RULE_DUPLICATE "xref/duplicate-id"
#define RULE_MASTER "xref/master-list"
#define RULE_ORPHAN "xref/orphan"

/* Caps: every document is hostile, and the set may hold 30,000 of them. */
#define ID_CAP 64            /* bytes of an ID */
#define REV_CAP 16           /* bytes of a pinned revision */
#define TITLE_CAP 160        /* bytes of a cited title */
#define PATH_CAP 1024        /* bytes of a resolved link path */
#define REFS_CAP 4000        /* references kept per document */
#define QUOTES_CAP 200       /* quoted title candidates kept per document */
#define POOL_CAP (1u << 20)  /* string bytes kept per document */
#define IDS_PER_BLOCK 256    /* ID matches read per block */
#define TOKENS_CAP 32        /* words compared per title */
#define SHOW_CAP 80          /* bytes of a title or target quoted in a message */
#define MSG_CAP 1024

/* The core's default document-ID pattern (core/src/meta.h), used when neither the plugin's
   options nor rules/labels.yml give one. */
#define XR_DEFAULT_ID_PATTERN                                                                   \
    "(?<![\\w.\\-/])"                                                                           \
    "(?!(?:ISO|IEC|EN|DIN|BS|ANSI|ASTM|NF|UNE|REV|REF|PAGE|PAG|TABLE|TAB|FIG|STEP|SECTION|"     \
    "CLAUSE|ANNEX|APPENDIX|PART|NO|NR|VERSION|ISSUE|ITEM|OF|DE|UTF|COVID)\\b)"                  \
    "(?:[A-Z][A-Z0-9]{0,5}(?:[-.][A-Z]{1,6})*(?:[-./_][0-9]{1,4}(?:\\.[0-9]{1,3})*)+"           \
    "|[A-Z]{2,4}(?: [0-9]{2}){1,3})"                                                            \
    "(?![\\w\\-]|\\.[0-9A-Za-z])"

/* ------------------------------------------------------------------ the digest record */

#define XR_MAGIC 0x31524658u /* "XFR1" */

enum xr_kind {
    XR_ID = 1,    /* a document ID in the text or a wikilink; rev/title/anchor optional */
    XR_TITLE,     /* a quoted phrase that may be a document title */
    XR_FILE,      /* a link to a file: target is root-relative and normalized */
    XR_WIKI       /* a wikilink to a name that is not an ID */
};

#define XR_F_SUPERSEDES 0x01u /* "supersedes QP-006": naming the old document is the point */
#define XR_F_OUTSIDE 0x02u    /* the link climbs out of the set root */
#define XR_F_WIKILINK 0x04u

struct xr_head {
    uint32_t magic;
    uint32_t n_recs;
    uint32_t pool_len;
};

/* One reference; strings are offsets into the pool that follows the records (0: none). */
struct xr_rec {
    uint8_t kind;
    uint8_t flags;
    uint16_t spare;
    uint32_t block_index;   /* block it came from, to merge a wikilink into its ID (saturates) */
    uint32_t id, rev, title, target, raw, anchor, part, section;
    uint32_t line, column, block;
};

struct xr_builder {
    struct xr_rec *recs;
    size_t n_recs, cap_recs;
    size_t n_quotes;
    char *pool;
    size_t pool_len, pool_cap;
    const char *last_section; /* the section string last pooled, reused while unchanged */
    uint32_t last_section_off;
    const char *last_part;
    uint32_t last_part_off;
    int oom;
};

/* ------------------------------------------------------------------ state */

struct xr_state {
    const struct qms_host_api *api;
    struct qms_regex *id_re;
    char **external;         /* external_documents: IDs or fnmatch globs */
    size_t n_external;
    char **prefixes;         /* document-type ID prefixes from rules/labels.yml ("QP", "WI") */
    size_t n_prefixes;
    struct xr_words {        /* rules/xref.yml, lower case */
        char **items;
        size_t n;
        uint32_t *slots;     /* stop words: open-addressing hash of index + 1, 0 empty */
        size_t n_slots;      /* a power of two, or 0 */
    } supersede, external_words, stopwords;
    int has_digest;          /* the host keeps plugin digests (digest_put / digest_get) */
};

struct xr_ctx {
    const struct xr_state *st;
    const struct qms_host_api *api;
    struct qms_host *host;
    const struct qms_doc *doc;
    int failed;
};

/* ------------------------------------------------------------------ small helpers */

static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static const struct qms_node *map_get(const struct qms_node *map, const char *key)
{
    if (!map || map->kind != QMS_NODE_MAP || !map->keys)
        return NULL;
    for (size_t i = 0; i < map->n_items; i++)
        if (map->keys[i] && strcmp(map->keys[i], key) == 0)
            return &map->items[i];
    return NULL;
}

static int scalar_is(const struct qms_node *n) { return n && n->kind == QMS_NODE_SCALAR && n->scalar; }

/* Copies at most cap-1 bytes, cutting on a UTF-8 boundary, for messages. */
static void show(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = len < cap - 1 ? len : cap - 1;
    if (n < len)
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    memcpy(out, s, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] < ' ')
            out[i] = ' ';
}

static int ci_eq(const char *a, const char *b)
{
    while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == *b;
}

static int ci_has(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && lower((unsigned char)p[i]) == lower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return 0;
}

static int rule_on(const struct xr_ctx *c, const char *rule)
{
    return !c->api->rule_severity || c->api->rule_severity(c->host, rule) != QMS_SEV_OFF;
}

static void report(struct xr_ctx *c, const char *rule, const char *path,
                   const struct qms_location *loc, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void report(struct xr_ctx *c, const char *rule, const char *path,
                   const struct qms_location *loc, const char *key, const char *fmt, ...)
{
    char msg[MSG_CAP];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct qms_finding_desc f = {0};
    f.rule_id = rule;
    f.severity = QMS_SEV_OFF;
    f.message = msg;
    f.path = path;
    if (loc)
        f.loc = *loc;
    f.key = key;
    if (c->api->report(c->host, &f) < 0)
        c->failed = 1;
}

/* ------------------------------------------------------------------ entry point filled below */

static int xref_init(const struct qms_host_api *api, struct qms_host *host, void **out_state);
static int xref_check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                          const struct qms_doc *doc);
static int xref_check_set(void *state, const struct qms_host_api *api, struct qms_host *host,
                          const struct qms_set *set);
static void xref_fini(void *state);

static const struct qms_rule xref_rules[] = {
    {RULE_DANGLING, QMS_SEV_ERROR, "7.5.3.1",
     "a cited document ID that no document in the set carries",
     "The text cites a document by ID, but no document in the set has that ID and it is not "
     "declared external (option external_documents, or an external-documents register). A "
     "reader cannot reach the document the procedure depends on. Fix the ID, add the document, "
     "or declare it external.",
     0},
    {RULE_OBSOLETE, QMS_SEV_ERROR, "7.5.3.2",
     "a reference to a document that is obsolete, superseded or withdrawn",
     "The cited document's status (its own metadata or the master list) says it is no longer "
     "in force, so the citing document sends people to obsolete information. Cite the "
     "document that replaced it. Sentences that say a document supersedes or replaces it are "
     "not counted.",
     0},
    {RULE_REVISION, QMS_SEV_WARNING, "7.5.3.2",
     "a revision-pinned citation that differs from the target's current revision",
     "\"QP-007 Rev A\" pins a revision; the set holds QP-007 at another revision. Either the "
     "citation is stale or the wrong revision is in the set. Update the citation, or cite the "
     "ID without a revision.",
     0},
    {RULE_LINK, QMS_SEV_WARNING, "7.5.3.1",
     "a link to a file that does not exist in the set",
     "A hyperlink or relative link (after percent-decoding, relative to the document's folder) "
     "or a wikilink points to nothing inside the document set. URLs with a scheme are not "
     "checked; a link to an existing non-document file is fine.",
     0},
    {RULE_ANCHOR, QMS_SEV_WARNING, "7.5.3.1",
     "a link to an anchor, heading or bookmark that does not exist",
     "An in-document link (#anchor, Word REF/PAGEREF field or w:anchor, ODT bookmark "
     "reference) or a cross-document link (other.md#slug) names an anchor the target does "
     "not have.",
     0},
    {RULE_TITLE, QMS_SEV_WARNING, "7.5.2",
     "a document cited by ID with a title that differs from its title",
     "The citation pairs an ID with a title that does not match the target's title (case, "
     "punctuation, word order and small differences are tolerated). One of the two is wrong.",
     0},
    {RULE_DUPLICATE, QMS_SEV_ERROR, "7.5.2",
     "two documents claim the same ID",
     "Document identification must be unique. Two files in the set carry the same document "
     "ID; references to it are ambiguous.",
     0},
    {RULE_MASTER, QMS_SEV_WARNING, "7.5.3.2",
     "the master list / document register disagrees with the set",
     "A register entry with no document, a controlled document with no entry, or an entry "
     "whose revision, title or status differs from the document's own. One finding per "
     "disagreement, located on the register.",
     0},
    {RULE_ORPHAN, QMS_SEV_INFO, "7.5.3.1",
     "a controlled document that nothing references and no register lists",
     "No document cites it (by ID, link, wikilink or title) and no master list lists it: it "
     "may be forgotten, or the set is missing the document that should point to it.",
     0},
};

static const struct qms_plugin xref_plugin = {
    .abi_major = QMS_ABI_MAJOR,
    .abi_minor = QMS_ABI_MINOR,
    .struct_size = sizeof(struct qms_plugin),
    .name = "xref",
    .version = QMS_VERSION,
    .description = "cross-references across the document set: IDs, revisions, links, anchors, "
                   "titles, the master list",
    .rules = xref_rules,
    .n_rules = sizeof xref_rules / sizeof xref_rules[0],
    .init = xref_init,
    .check_doc = xref_check_doc,
    .check_set = xref_check_set,
    .fini = xref_fini,
};

QMS_PLUGIN_EXPORT const struct qms_plugin *qms_plugin_entry(void) { return &xref_plugin; }

/* ------------------------------------------------------------------ init: options */

static void state_free(struct xr_state *st)
{
    if (!st)
        return;
    if (st->id_re && st->api && st->api->regex_free)
        st->api->regex_free(st->id_re);
    for (size_t i = 0; i < st->n_external; i++)
        free(st->external[i]);
    free(st->external);
    for (size_t i = 0; i < st->n_prefixes; i++)
        free(st->prefixes[i]);
    free(st->prefixes);
    struct xr_words *lists[] = {&st->supersede, &st->external_words, &st->stopwords};
    for (size_t l = 0; l < 3; l++) {
        for (size_t i = 0; i < lists[l]->n; i++)
            free(lists[l]->items[i]);
        free(lists[l]->items);
        free(lists[l]->slots);
    }
    free(st);
}

static int check_keys(struct xr_state *st, struct qms_host *host, const struct qms_node *map,
                      const char *what, const char *const *allowed)
{
    for (size_t i = 0; i < map->n_items; i++) {
        int ok = 0;
        for (size_t k = 0; allowed[k] && !ok; k++)
            ok = map->keys[i] && strcmp(map->keys[i], allowed[k]) == 0;
        if (!ok) {
            st->api->node_error(host, &map->items[i], "%s: unknown option '%s'", what,
                                map->keys[i] ? map->keys[i] : "?");
            return -1;
        }
    }
    return 0;
}

/* external_documents: a list of IDs or globs ("ISO-*"), or one string. */
static int add_external(struct xr_state *st, struct qms_host *host, const struct qms_node *n)
{
    size_t count = n->kind == QMS_NODE_SEQ ? n->n_items : 1;
    if (n->kind == QMS_NODE_MAP) {
        st->api->node_error(host, n, "external_documents must be a list of IDs or globs");
        return -1;
    }
    char **grown = realloc(st->external, (st->n_external + count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    st->external = grown;
    for (size_t i = 0; i < count; i++) {
        const struct qms_node *item = n->kind == QMS_NODE_SEQ ? &n->items[i] : n;
        if (!scalar_is(item) || !item->scalar[0] || strlen(item->scalar) >= ID_CAP) {
            st->api->node_error(host, item, "external_documents: each entry must be an ID or a "
                                            "glob of IDs (at most %d bytes)", ID_CAP - 1);
            return -1;
        }
        if (!(st->external[st->n_external] = strdup(item->scalar)))
            return -1;
        st->n_external++;
    }
    return 0;
}

/* The options of a rule: "rules: {id: {...}}" (severity handled by the host), possibly with
   an inner "options:" map. */
static const struct qms_node *rule_opts(const struct qms_host_api *api, struct qms_host *host,
                                        const char *rule_id)
{
    const struct qms_node *n = api->rule_options ? api->rule_options(host, rule_id) : NULL;
    if (n && n->kind == QMS_NODE_MAP && map_get(n, "options"))
        return map_get(n, "options");
    return n && n->kind == QMS_NODE_MAP ? n : NULL;
}

static int compile_id(struct xr_state *st, struct qms_host *host, const char *pattern,
                      const struct qms_node *where)
{
    char err[256] = "";
    st->id_re = st->api->regex_compile(pattern, 0, err, sizeof err);
    if (!st->id_re) {
        if (where)
            st->api->node_error(host, where, "id_pattern: %s", err);
        else
            st->api->log(host, 1, "xref: the default ID pattern does not compile: %s", err);
        return -1;
    }
    return 0;
}

static int apply_options(struct xr_state *st, struct qms_host *host)
{
    static const char *const plugin_keys[] = {"enabled", "external_documents", "id_pattern",
                                              "ignore_urls", NULL};
    static const char *const dangling_keys[] = {"severity", "enabled", "options",
                                                "external_documents", NULL};
    static const char *const plain_keys[] = {"severity", "enabled", "options", NULL};
    static const char *const rules[] = {RULE_OBSOLETE, RULE_REVISION, RULE_LINK, RULE_ANCHOR,
                                        RULE_TITLE, RULE_DUPLICATE, RULE_MASTER, RULE_ORPHAN};
    const struct qms_host_api *api = st->api;
    const struct qms_node *plugin = api->plugin_options ? api->plugin_options(host) : NULL;
    const struct qms_node *pattern = NULL;

    if (plugin && plugin->kind == QMS_NODE_MAP) {
        if (check_keys(st, host, plugin, "plugin xref", plugin_keys) < 0)
            return -1;
        const struct qms_node *ext = map_get(plugin, "external_documents");
        if (ext && add_external(st, host, ext) < 0)
            return -1;
        pattern = map_get(plugin, "id_pattern");
        if (pattern && (!scalar_is(pattern) || !pattern->scalar[0])) {
            api->node_error(host, pattern, "id_pattern must be a PCRE2 pattern");
            return -1;
        }
    }
    const struct qms_node *o = rule_opts(api, host, RULE_DANGLING);
    if (o) {
        if (check_keys(st, host, o, RULE_DANGLING, dangling_keys) < 0)
            return -1;
        const struct qms_node *ext = map_get(o, "external_documents");
        if (ext && add_external(st, host, ext) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        o = rule_opts(api, host, rules[i]);
        if (o && check_keys(st, host, o, rules[i], plain_keys) < 0)
            return -1;
    }

    /* rules/labels.yml: the document-type ID prefixes, and maybe the set's `id_pattern:` */
    const struct qms_node *labels = NULL;
    if (api->load_pack && api->load_pack(host, "labels.yml", &labels) == 0) {
        const struct qms_node *types = map_get(labels, "types");
        for (size_t t = 0; types && types->kind == QMS_NODE_MAP && t < types->n_items; t++) {
            const struct qms_node *pre = map_get(&types->items[t], "prefixes");
            for (size_t k = 0; pre && pre->kind == QMS_NODE_SEQ && k < pre->n_items; k++) {
                if (!scalar_is(&pre->items[k]))
                    continue;
                char **grown = realloc(st->prefixes, (st->n_prefixes + 1) * sizeof *grown);
                if (!grown)
                    return -1;
                st->prefixes = grown;
                if (!(st->prefixes[st->n_prefixes] = strdup(pre->items[k].scalar)))
                    return -1;
                st->n_prefixes++;
            }
        }
        const struct qms_node *p = map_get(labels, "id_pattern");
        if (!pattern && p && scalar_is(p) && p->scalar[0])
            pattern = p;
    }
    if (pattern)
        return compile_id(st, host, pattern->scalar, pattern);
    return compile_id(st, host, XR_DEFAULT_ID_PATTERN, NULL);
}

/* FNV-1a of a NUL-terminated string. */
static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot of w in a words hash: its index + 1 there, or the empty slot where it would go. */
static size_t words_slot(const struct xr_words *ws, const char *w)
{
    size_t mask = ws->n_slots - 1, i = str_hash(w) & mask;
    while (ws->slots[i] && strcmp(ws->items[ws->slots[i] - 1], w) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Hashes a word list so that a title's every word is not compared with every stop word. */
static int words_hash(struct xr_words *ws)
{
    size_t n = 16;
    while (n < ws->n * 2)
        n *= 2;
    ws->slots = calloc(n, sizeof *ws->slots);
    if (!ws->slots)
        return -1;
    ws->n_slots = n;
    for (size_t i = 0; i < ws->n; i++) {
        size_t k = words_slot(ws, ws->items[i]);
        if (!ws->slots[k])
            ws->slots[k] = (uint32_t)(i + 1);
    }
    return 0;
}

static int load_words(struct xr_state *st, struct qms_host *host, const struct qms_node *pack,
                      const char *key, struct xr_words *out)
{
    const struct qms_node *n = map_get(pack, key);
    if (!n || n->kind != QMS_NODE_SEQ) {
        st->api->node_error(host, n ? n : pack, "xref.yml: '%s' must be a list of words", key);
        return -1;
    }
    out->items = calloc(n->n_items ? n->n_items : 1, sizeof *out->items);
    if (!out->items)
        return -1;
    for (size_t i = 0; i < n->n_items; i++) {
        const struct qms_node *w = &n->items[i];
        if (!scalar_is(w) || !w->scalar[0] || strlen(w->scalar) >= TITLE_CAP) {
            st->api->node_error(host, w, "xref.yml: '%s' entries must be non-empty words", key);
            return -1;
        }
        char *copy = strdup(w->scalar);
        if (!copy)
            return -1;
        for (char *p = copy; *p; p++)
            *p = (char)lower((unsigned char)*p);
        out->items[out->n++] = copy;
    }
    return 0;
}

static int load_xref_pack(struct xr_state *st, struct qms_host *host)
{
    static const char *const keys[] = {"version", "supersede_words", "external_register_words",
                                       "title_stopwords", NULL};
    const struct qms_node *pack = NULL;
    if (st->api->load_pack(host, "xref.yml", &pack) < 0)
        return -1;
    if (!pack || pack->kind != QMS_NODE_MAP) {
        if (pack)
            st->api->node_error(host, pack, "xref.yml must be a map");
        else
            st->api->log(host, 1, "xref: xref.yml is empty");
        return -1;
    }
    if (check_keys(st, host, pack, "xref.yml", keys) < 0 ||
        load_words(st, host, pack, "supersede_words", &st->supersede) < 0 ||
        load_words(st, host, pack, "external_register_words", &st->external_words) < 0 ||
        load_words(st, host, pack, "title_stopwords", &st->stopwords) < 0 ||
        words_hash(&st->stopwords) < 0)
        return -1;
    return 0;
}

static int xref_init(const struct qms_host_api *api, struct qms_host *host, void **out_state)
{
    *out_state = NULL;
    if (!api)
        return -1;
    if (api->struct_size < offsetof(struct qms_host_api, node_get) + sizeof api->node_get) {
        if (api->struct_size >= offsetof(struct qms_host_api, log) + sizeof api->log && api->log)
            api->log(host, 1, "xref: the host API is older than this plugin needs");
        return -1;
    }
    struct xr_state *st = calloc(1, sizeof *st);
    if (!st)
        return -1;
    st->api = api;
    st->has_digest = api->struct_size >= offsetof(struct qms_host_api, digest_get) +
                                             sizeof api->digest_get &&
                     api->digest_put && api->digest_get;
    if (!st->has_digest)
        api->log(host, 0, "xref: the host keeps no plugin digests; set-level rules are off");
    if (load_xref_pack(st, host) < 0 || apply_options(st, host) < 0) {
        state_free(st);
        return -1;
    }
    *out_state = st;
    return 0;
}

static void xref_fini(void *state) { state_free(state); }

/* ------------------------------------------------------------------ check_doc: the record */

static uint32_t pool_add(struct xr_builder *b, const char *s, size_t len)
{
    if (!s || b->oom)
        return 0;
    if (b->pool_len == 0) { /* offset 0 is "none" */
        b->pool_cap = 4096;
        if (!(b->pool = malloc(b->pool_cap))) {
            b->oom = 1;
            return 0;
        }
        b->pool[0] = '\0';
        b->pool_len = 1;
    }
    if (len > PATH_CAP)
        len = PATH_CAP;
    if (b->pool_len + len + 1 > POOL_CAP)
        return 0;
    if (b->pool_len + len + 1 > b->pool_cap) {
        size_t cap = b->pool_cap;
        while (cap < b->pool_len + len + 1)
            cap *= 2;
        char *grown = realloc(b->pool, cap);
        if (!grown) {
            b->oom = 1;
            return 0;
        }
        b->pool = grown;
        b->pool_cap = cap;
    }
    uint32_t off = (uint32_t)b->pool_len;
    memcpy(b->pool + off, s, len);
    for (size_t i = 0; i < len; i++)
        if (b->pool[off + i] == '\0')
            b->pool[off + i] = ' ';
    b->pool[off + len] = '\0';
    b->pool_len += len + 1;
    return off;
}

static uint32_t pool_str(struct xr_builder *b, const char *s) { return s ? pool_add(b, s, strlen(s)) : 0; }

static struct xr_rec *rec_new(struct xr_builder *b, enum xr_kind kind, const struct qms_location *loc,
                              size_t block_index)
{
    if (b->oom || b->n_recs >= REFS_CAP)
        return NULL;
    if (b->n_recs == b->cap_recs) {
        size_t cap = b->cap_recs ? b->cap_recs * 2 : 32;
        struct xr_rec *grown = realloc(b->recs, cap * sizeof *grown);
        if (!grown) {
            b->oom = 1;
            return NULL;
        }
        b->recs = grown;
        b->cap_recs = cap;
    }
    struct xr_rec *r = &b->recs[b->n_recs++];
    memset(r, 0, sizeof *r);
    r->kind = (uint8_t)kind;
    r->block_index = block_index > UINT32_MAX ? UINT32_MAX : (uint32_t)block_index;
    r->line = loc->line;
    r->column = loc->column;
    r->block = loc->block;
    if (loc->part) {
        if (b->last_part != loc->part) {
            b->last_part = loc->part;
            b->last_part_off = pool_str(b, loc->part);
        }
        r->part = b->last_part_off;
    }
    if (loc->section) {
        if (b->last_section != loc->section) {
            b->last_section = loc->section;
            b->last_section_off = pool_str(b, loc->section);
        }
        r->section = b->last_section_off;
    }
    return r;
}

/* Line counting state over one block's text, so that increasing offsets cost one pass. */
struct xr_lines {
    size_t pos, nl, last;
};

/* The location of byte `off` of a block's text: Markdown lines and columns move with it.
   `cur` (zeroed for each block) remembers the last offset: a block with thousands of matches
   is read once, not once per match. */
static struct qms_location loc_at(const struct qms_block *blk, size_t off, struct xr_lines *cur)
{
    struct qms_location loc = blk->loc;
    if (blk->loc.line == 0 || blk->loc.part)
        return loc;
    if (off < cur->pos)
        memset(cur, 0, sizeof *cur);
    size_t nl = cur->nl, last = cur->last, i = cur->pos;
    for (; i < off && i < blk->text_len; i++)
        if (blk->text[i] == '\n') {
            nl++;
            last = i + 1;
        }
    cur->pos = i;
    cur->nl = nl;
    cur->last = last;
    loc.line = blk->loc.line + (uint32_t)nl;
    loc.column = nl ? (uint32_t)(off - last) + 1 : blk->loc.column + (uint32_t)off;
    return loc;
}

/* An opening quote at s[i]: its length, and the closing quote(s) to look for. */
static size_t quote_open(const char *s, size_t len, size_t i, const char **close1, const char **close2)
{
    const unsigned char *u = (const unsigned char *)s + i;
    size_t left = len - i;
    if (u[0] == '"') {
        *close1 = *close2 = "\"";
        return 1;
    }
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0x9C) { /* “ */
        *close1 = *close2 = "\xE2\x80\x9D";
        return 3;
    }
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0x9E) { /* „ */
        *close1 = "\xE2\x80\x9C";
        *close2 = "\xE2\x80\x9D";
        return 3;
    }
    if (left >= 2 && u[0] == 0xC2 && u[1] == 0xAB) { /* « */
        *close1 = *close2 = "\xC2\xBB";
        return 2;
    }
    return 0;
}

/* A quoted phrase starting at s[i]: 1 with its inside [*a, *b) and the end after the closing
   quote in *end. One line, at most TITLE_CAP bytes, not empty. */
static int quoted_at(const char *s, size_t len, size_t i, size_t *a, size_t *b, size_t *end)
{
    const char *c1, *c2;
    size_t open = quote_open(s, len, i, &c1, &c2);
    if (!open)
        return 0;
    size_t l1 = strlen(c1), l2 = strlen(c2);
    for (size_t j = i + open; j < len && j - i <= TITLE_CAP; j++) {
        if (s[j] == '\n')
            return 0;
        size_t cl = (j + l1 <= len && memcmp(s + j, c1, l1) == 0)   ? l1
                    : (j + l2 <= len && memcmp(s + j, c2, l2) == 0) ? l2
                                                                    : 0;
        if (cl) {
            size_t x = i + open, y = j;
            while (x < y && is_space((unsigned char)s[x]))
                x++;
            while (y > x && is_space((unsigned char)s[y - 1]))
                y--;
            if (y == x)
                return 0;
            *a = x;
            *b = y;
            *end = j + cl;
            return 1;
        }
    }
    return 0;
}

/* After an ID: "Rev A", "(Rev. A)", "rev.A", "Rev. 05", "Revision 3", "Issue 2". The revision
   token goes to rev (NUL-terminated); returns the offset after the citation, or `i`. */
static size_t pinned_revision(const char *s, size_t len, size_t i, char *rev, size_t rev_cap)
{
    static const char *const words[] = {"revision", "rev", "issue", "version", "ver", NULL};
    size_t j = i, paren = 0;
    rev[0] = '\0';
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == ','))
        j++;
    if (j < len && s[j] == '(') {
        paren = 1;
        j++;
        while (j < len && s[j] == ' ')
            j++;
    }
    size_t w = 0;
    for (size_t k = 0; words[k]; k++) {
        size_t n = strlen(words[k]);
        size_t m = 0;
        while (m < n && j + m < len && lower((unsigned char)s[j + m]) == words[k][m])
            m++;
        if (m == n) {
            w = n;
            break;
        }
    }
    if (!w)
        return i;
    j += w;
    if (j < len && is_alnum((unsigned char)s[j]) && !(s[j] >= '0' && s[j] <= '9') &&
        !(s[j] >= 'A' && s[j] <= 'Z'))
        return i; /* "review", "revised" */
    while (j < len && (s[j] == '.' || s[j] == ' ' || s[j] == ':' || s[j] == '#'))
        j++;
    size_t t = j;
    if (t < len && s[t] >= '0' && s[t] <= '9') {
        while (t < len && ((s[t] >= '0' && s[t] <= '9') ||
                           (s[t] == '.' && t + 1 < len && s[t + 1] >= '0' && s[t + 1] <= '9')))
            t++;
    } else {
        while (t < len && ((s[t] >= 'A' && s[t] <= 'Z') || (t == j && s[t] >= 'a' && s[t] <= 'z')) &&
               t - j < 3)
            t++;
    }
    if (t == j || t - j >= rev_cap || (t < len && is_alnum((unsigned char)s[t])))
        return i;
    memcpy(rev, s + j, t - j);
    rev[t - j] = '\0';
    if (paren) {
        while (t < len && s[t] == ' ')
            t++;
        if (t < len && s[t] == ')')
            t++;
    }
    return t;
}

/* "supersedes QP-006", "replaces QP-006", "ersetzt QP-006": a supersede word (rules/xref.yml)
   in the 48 bytes before `at`. */
static int supersedes_before(const struct xr_state *st, const char *s, size_t at)
{
    size_t from = at > 48 ? at - 48 : 0;
    char window[64];
    size_t n = 0;
    for (size_t i = from; i < at && n < sizeof window - 1; i++)
        window[n++] = (char)lower((unsigned char)s[i]);
    window[n] = '\0';
    for (size_t k = 0; k < st->supersede.n; k++)
        if (strstr(window, st->supersede.items[k]))
            return 1;
    return 0;
}

static int own_id(const struct qms_meta *m, const char *s, size_t len)
{
    if (!m)
        return 0;
    const struct qms_meta_values *v = &m->fields[QMS_META_ID];
    for (size_t i = 0; i < v->n; i++)
        if (v->items[i].value && strlen(v->items[i].value) == len &&
            memcmp(v->items[i].value, s, len) == 0)
            return 1;
    return 0;
}

static int same_loc(const struct qms_location *a, const struct qms_location *b)
{
    if ((a->part == NULL) != (b->part == NULL))
        return 0;
    if (a->part && strcmp(a->part, b->part) != 0)
        return 0;
    return a->line == b->line && a->column == b->column && a->block == b->block;
}

/* Tables not to read for citations: the revision history and every register table. */
#define SKIP_TABLES_CAP 32
static size_t skip_tables(const struct qms_doc *doc, int32_t *out)
{
    size_t n = 0;
    const struct qms_meta *m = doc->meta;
    if (!m)
        return 0;
    if (m->history_table >= 0)
        out[n++] = m->history_table;
    if (m->register_table >= 0)
        out[n++] = m->register_table;
    /* entries and blocks are both in document order: one forward walk finds every row */
    size_t from = 0;
    for (size_t e = 0; e < m->n_register_entries && n < SKIP_TABLES_CAP; e++) {
        const struct qms_location *el = &m->register_entries[e].loc;
        for (size_t i = from; i < doc->n_blocks; i++) {
            const struct qms_block *b = &doc->blocks[i];
            if (b->table >= 0 && same_loc(&b->loc, el)) {
                int seen = 0;
                for (size_t k = 0; k < n; k++)
                    seen |= out[k] == b->table;
                if (!seen)
                    out[n++] = b->table;
                from = i + 1;
                break;
            }
        }
    }
    return n;
}

static void scan_block(struct xr_ctx *c, struct xr_builder *b, const struct qms_block *blk,
                       size_t block_index)
{
    const struct xr_state *st = c->st;
    const char *s = blk->text;
    size_t len = blk->text_len, pos = 0, n_ids = 0;
    size_t taken_at[IDS_PER_BLOCK]; /* where a quoted title taken by an ID citation starts */
    struct xr_lines lines = {0, 0, 0};

    while (pos < len && n_ids < IDS_PER_BLOCK) {
        size_t ms, me;
        int rc = c->api->regex_match(st->id_re, s, len, pos, &ms, &me);
        if (rc <= 0 || me <= ms || me > len)
            break;
        pos = me;
        if (me - ms >= ID_CAP || own_id(c->doc->meta, s + ms, me - ms))
            continue;
        char rev[REV_CAP];
        size_t after = pinned_revision(s, len, me, rev, sizeof rev);
        struct qms_location loc = loc_at(blk, ms, &lines);
        struct xr_rec *r = rec_new(b, XR_ID, &loc, block_index);
        if (!r)
            return;
        r->id = pool_add(b, s + ms, me - ms);
        if (rev[0])
            r->rev = pool_str(b, rev);
        if (supersedes_before(st, s, ms))
            r->flags |= XR_F_SUPERSEDES;
        /* QP-007 "Control of Documents", QP-007 – “Control of Documents” */
        size_t j = after;
        while (j < len && j - after < 8) {
            if (s[j] == ' ' || s[j] == ':' || s[j] == ',' || s[j] == '-')
                j++;
            else if (j + 2 < len && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
                     ((unsigned char)s[j + 2] == 0x93 || (unsigned char)s[j + 2] == 0x94))
                j += 3; /* en / em dash */
            else
                break;
        }
        size_t qa, qb, qe;
        taken_at[n_ids] = (size_t)-1;
        if (j < len && quoted_at(s, len, j, &qa, &qb, &qe)) {
            r->title = pool_add(b, s + qa, qb - qa);
            taken_at[n_ids] = j;
        }
        n_ids++;
        if (after > pos)
            pos = after;
    }
    /* quoted phrases that may be titles ("see “Internal Auditing”") */
    for (size_t i = 0; i < len && b->n_quotes < QUOTES_CAP; i++) {
        size_t qa, qb, qe;
        /* only '"', “, „ (0xE2 ...) and « (0xC2 ...) open a quote: a call per byte was the
           plugin's largest cost */
        while (i < len && s[i] != '"' && (unsigned char)s[i] != 0xE2 && (unsigned char)s[i] != 0xC2)
            i++;
        if (i >= len)
            break;
        if (!quoted_at(s, len, i, &qa, &qb, &qe))
            continue;
        int taken = 0;
        for (size_t k = 0; k < n_ids && !taken; k++)
            taken = i == taken_at[k];
        if (!taken && qb - qa >= 3) {
            struct qms_location loc = loc_at(blk, i, &lines);
            struct xr_rec *r = rec_new(b, XR_TITLE, &loc, block_index);
            if (!r)
                return;
            r->title = pool_add(b, s + qa, qb - qa);
            b->n_quotes++;
        }
        i = qe - 1;
    }
}

/* The block a link sits in (for merging a wikilink with the ID the text scan found): for a
   package part the first block of that part and paragraph, else the last block starting on
   or before the link's line. Looked up in an index built on first use (a linear walk per
   wikilink made 100k wikilinks in 100k blocks quadratic). */
struct xr_block_ref {
    const struct qms_location *loc;
    size_t index; /* markdown: the largest block index at or before this line */
};

struct xr_blocks {
    struct xr_block_ref *items;
    size_t n;
    int built;
};

#define XR_BLOCKS_OOM ((size_t)-2)

static int block_ref_cmp(const void *a, const void *b)
{
    const struct xr_block_ref *x = a, *y = b;
    const struct qms_location *p = x->loc, *q = y->loc;
    if ((p->part == NULL) != (q->part == NULL))
        return p->part ? 1 : -1;
    if (p->part) {
        int c = strcmp(p->part, q->part);
        if (c)
            return c;
        if (p->block != q->block)
            return p->block < q->block ? -1 : 1;
    } else if (p->line != q->line) {
        return p->line < q->line ? -1 : 1;
    }
    return x->index < y->index ? -1 : x->index > y->index;
}

static size_t block_of(struct xr_blocks *bx, const struct qms_doc *doc,
                       const struct qms_location *loc)
{
    if (!bx->built) {
        bx->built = 1;
        if (doc->n_blocks && !(bx->items = malloc(doc->n_blocks * sizeof *bx->items)))
            return XR_BLOCKS_OOM;
        for (size_t i = 0; i < doc->n_blocks; i++) {
            bx->items[i].loc = &doc->blocks[i].loc;
            bx->items[i].index = i;
        }
        bx->n = doc->n_blocks;
        if (bx->n > 1)
            qsort(bx->items, bx->n, sizeof *bx->items, block_ref_cmp);
        /* no part: sorted by line, a running maximum of the index */
        size_t best = 0;
        for (size_t i = 0; i < bx->n && !bx->items[i].loc->part; i++) {
            if (bx->items[i].index > best)
                best = bx->items[i].index;
            bx->items[i].index = best;
        }
    }
    if (doc->n_blocks && !bx->items)
        return XR_BLOCKS_OOM;
    size_t lo = 0, hi = bx->n;
    if (loc->part) {
        /* the first of the part's blocks with this paragraph number, lowest index */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            const struct qms_location *m = bx->items[mid].loc;
            int c = !m->part ? -1 : strcmp(m->part, loc->part);
            if (!c)
                c = m->block < loc->block ? -1 : m->block > loc->block;
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < bx->n && bx->items[lo].loc->part && strcmp(bx->items[lo].loc->part, loc->part) == 0 &&
            bx->items[lo].loc->block == loc->block)
            return bx->items[lo].index;
        return (size_t)-1;
    }
    /* the last part-less block with line <= loc->line */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct qms_location *m = bx->items[mid].loc;
        if (!m->part && m->line <= loc->line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? bx->items[lo - 1].index : (size_t)-1;
}

/* Percent-decoding (invalid escapes stay as written). Returns the length, or (size_t)-1 when
   the result would not fit or holds a NUL. */
static size_t percent_decode(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '%' && i + 2 < len) {
            int hi = lower((unsigned char)s[i + 1]), lo = lower((unsigned char)s[i + 2]);
            int h = hi >= '0' && hi <= '9' ? hi - '0' : hi >= 'a' && hi <= 'f' ? hi - 'a' + 10 : -1;
            int l = lo >= '0' && lo <= '9' ? lo - '0' : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10 : -1;
            if (h >= 0 && l >= 0) {
                ch = (unsigned char)(h * 16 + l);
                i += 2;
                if (ch == 0)
                    return (size_t)-1;
            }
        }
        if (n + 1 >= cap)
            return (size_t)-1;
        out[n++] = (char)ch;
    }
    out[n] = '\0';
    return n;
}

/* Resolves a file link of the document at doc_path (root-relative) to a normalized
   root-relative path. Returns 0, or -1 when it climbs out of the root (*outside = 1), is
   empty or too long. */
static int resolve_link(char *out, size_t cap, const char *doc_path, const char *target, int *outside)
{
    char decoded[PATH_CAP];
    char joined[2 * PATH_CAP + 2];
    *outside = 0;
    size_t tlen = strcspn(target, "#?");
    if (tlen == 0 || percent_decode(decoded, sizeof decoded, target, tlen) == (size_t)-1)
        return -1;
    for (char *p = decoded; *p; p++)
        if (*p == '\\')
            *p = '/';
    if (decoded[0] == '/') {
        snprintf(joined, sizeof joined, "%s", decoded + 1);
    } else {
        const char *slash = strrchr(doc_path, '/');
        size_t dl = slash ? (size_t)(slash - doc_path) : 0;
        if (dl >= PATH_CAP)
            return -1;
        snprintf(joined, sizeof joined, "%.*s%s%s", (int)dl, doc_path, dl ? "/" : "", decoded);
    }
    /* segments: drop "" and ".", pop on ".." */
    size_t n = 0;
    const char *p = joined;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t sl = e ? (size_t)(e - p) : strlen(p);
        if (sl == 0 || (sl == 1 && p[0] == '.')) {
            /* nothing */
        } else if (sl == 2 && p[0] == '.' && p[1] == '.') {
            if (n == 0) {
                *outside = 1;
                return -1;
            }
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--; /* the slash */
        } else {
            if (n + sl + 2 >= cap)
                return -1;
            if (n)
                out[n++] = '/';
            memcpy(out + n, p, sl);
            n += sl;
        }
        p += sl;
        if (*p == '/')
            p++;
    }
    out[n] = '\0';
    return n ? 0 : -1;
}

/* GitHub's heading slug: lower case, spaces to '-', punctuation dropped. */
static void slugify(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 1 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == ' ')
            out[n++] = '-';
        else if (is_alnum(ch) || ch == '-' || ch == '_' || ch >= 0x80)
            out[n++] = (char)lower(ch);
    }
    out[n] = '\0';
}

/* A document's anchor names sorted for look-up (ASCII case-insensitive order, ties by the
   exact bytes), built on first use: 100k links into 100k headings stay n log n. */
struct xr_anchors {
    const char **names;
    size_t n;
    int built;
};

static int ci_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = lower((unsigned char)*a), y = lower((unsigned char)*b);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            return 0;
    }
}

static int anchor_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = ci_cmp(x, y);
    return c ? c : strcmp(x, y);
}

/* 0, or -1 when out of memory. */
static int anchors_index(struct xr_anchors *ix, const struct qms_anchor *anchors, size_t n)
{
    if (ix->built)
        return ix->names || !n ? 0 : -1;
    ix->built = 1;
    ix->n = 0;
    if (!n)
        return 0;
    if (!(ix->names = malloc(n * sizeof *ix->names)))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (anchors[i].name)
            ix->names[ix->n++] = anchors[i].name;
    qsort(ix->names, ix->n, sizeof *ix->names, anchor_cmp);
    return 0;
}

static void anchors_free(struct xr_anchors *ix)
{
    free(ix->names);
    memset(ix, 0, sizeof *ix);
}

/* Whether the index holds `name` exactly (exact = 1) or ignoring ASCII case (exact = 0). */
static int anchors_has(const struct xr_anchors *ix, const char *name, int exact)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = exact ? anchor_cmp(&ix->names[mid], &name) : ci_cmp(ix->names[mid], name);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* An anchor named as written, percent-decoded (any ASCII case), or as its heading slug. */
static int anchor_in(const struct xr_anchors *ix, const char *name)
{
    char decoded[PATH_CAP], slug[PATH_CAP];
    size_t len = strlen(name);
    if (percent_decode(decoded, sizeof decoded, name, len) == (size_t)-1)
        snprintf(decoded, sizeof decoded, "%.*s", (int)(sizeof decoded - 1), name);
    slugify(slug, sizeof slug, decoded);
    return anchors_has(ix, name, 1) || anchors_has(ix, decoded, 0) ||
           (slug[0] && anchors_has(ix, slug, 1));
}

/* ODF links to a heading, table or frame by name ("#2.1.Scope|outline", "#Table1|table"):
   not bookmarks, and not checkable against the anchor list. */
static int odf_object_anchor(const char *name)
{
    static const char *const kinds[] = {"outline", "table", "frame", "region", "graphic",
                                        "ole", "sequence", "text", NULL};
    const char *bar = strrchr(name, '|');
    if (!bar)
        return 0;
    for (size_t i = 0; kinds[i]; i++)
        if (strcmp(bar + 1, kinds[i]) == 0)
            return 1;
    return 0;
}

static void scan_links(struct xr_ctx *c, struct xr_builder *b)
{
    const struct qms_doc *doc = c->doc;
    int anchor_rule = rule_on(c, RULE_ANCHOR);
    struct xr_anchors ix = {NULL, 0, 0};
    struct xr_blocks bx = {NULL, 0, 0};
    size_t n_scanned = b->n_recs; /* the text scan's records, in block order */
    for (size_t i = 0; i < doc->n_links && !c->failed; i++) {
        const struct qms_link *l = &doc->links[i];
        if (l->target_kind == QMS_TARGET_URL)
            continue;
        /* a picture in a DOCX / ODT package points at a part of the package, not a file */
        if (l->kind == QMS_LINK_IMAGE && doc->format != QMS_FORMAT_MARKDOWN)
            continue;
        if (l->target_kind == QMS_TARGET_ANCHOR) {
            const char *name = l->anchor ? l->anchor : l->target;
            if (name[0] == '#')
                name++;
            if (name[0] && anchor_rule && anchors_index(&ix, doc->anchors, doc->n_anchors) < 0) {
                c->failed = 1;
                break;
            }
            if (name[0] && anchor_rule && !odf_object_anchor(name) && !anchor_in(&ix, name)) {
                char shown[SHOW_CAP];
                show(shown, sizeof shown, name, strlen(name));
                report(c, RULE_ANCHOR, NULL, &l->loc, name,
                       "link to '#%s', which is not an anchor, heading or bookmark of this document",
                       shown);
            }
            continue;
        }
        if (l->kind == QMS_LINK_WIKILINK) {
            size_t tl = strcspn(l->target, "#");
            while (tl && is_space((unsigned char)l->target[tl - 1]))
                tl--;
            if (!tl)
                continue;
            size_t ms, me;
            int rc = c->api->regex_match(c->st->id_re, l->target, tl, 0, &ms, &me);
            size_t bi = block_of(&bx, doc, &l->loc);
            if (bi == XR_BLOCKS_OOM) {
                c->failed = 1;
                break;
            }
            if (rc > 0 && ms == 0 && me > 0 && me < ID_CAP) {
                if (own_id(doc->meta, l->target, me))
                    continue;
                /* [[SOP-01 Document Control]]: merge with the ID the text scan found (the
                   scan's records are in block order: look in the block's run only) */
                struct xr_rec *r = NULL;
                size_t k = 0, hi = n_scanned;
                while (k < hi) {
                    size_t mid = k + (hi - k) / 2;
                    if (b->recs[mid].block_index < bi)
                        k = mid + 1;
                    else
                        hi = mid;
                }
                for (; k < n_scanned && bi != (size_t)-1 && b->recs[k].block_index == bi; k++) {
                    struct xr_rec *x = &b->recs[k];
                    if (x->kind == XR_ID && !(x->flags & XR_F_WIKILINK) && x->id &&
                        strlen(b->pool + x->id) == me && memcmp(b->pool + x->id, l->target, me) == 0) {
                        r = x;
                        break;
                    }
                }
                if (!r) {
                    r = rec_new(b, XR_ID, &l->loc, bi);
                    if (!r)
                        goto out;
                    r->id = pool_add(b, l->target, me);
                }
                r->flags |= XR_F_WIKILINK;
                size_t t = me;
                while (t < tl && (l->target[t] == ' ' || l->target[t] == '-' || l->target[t] == ':' ||
                                  l->target[t] == '_'))
                    t++;
                if (t < tl && !r->title)
                    r->title = pool_add(b, l->target + t, tl - t);
                if (l->anchor && l->anchor[0])
                    r->anchor = pool_str(b, l->anchor);
            } else {
                struct xr_rec *r = rec_new(b, XR_WIKI, &l->loc, bi);
                if (!r)
                    goto out;
                r->target = pool_add(b, l->target, tl);
                if (l->anchor && l->anchor[0])
                    r->anchor = pool_str(b, l->anchor);
            }
            continue;
        }
        if (l->target_kind != QMS_TARGET_FILE)
            continue; /* an unresolved Markdown reference label is not a link to check */
        char path[PATH_CAP];
        int outside = 0;
        if (resolve_link(path, sizeof path, doc->path ? doc->path : "", l->target, &outside) < 0) {
            if (!outside)
                continue; /* empty ("?x") or over-long: nothing to look up */
            struct xr_rec *r = rec_new(b, XR_FILE, &l->loc, 0);
            if (!r)
                goto out;
            r->flags |= XR_F_OUTSIDE;
            r->raw = pool_str(b, l->target);
            continue;
        }
        struct xr_rec *r = rec_new(b, XR_FILE, &l->loc, 0);
        if (!r)
            goto out;
        r->target = pool_str(b, path);
        r->raw = pool_str(b, l->target);
        if (l->anchor && l->anchor[0])
            r->anchor = pool_str(b, l->anchor);
    }
out:
    anchors_free(&ix);
    free(bx.items);
}

static int xref_check_doc(void *state, const struct qms_host_api *api, struct qms_host *host,
                          const struct qms_doc *doc)
{
    struct xr_state *st = state;
    if (!st || !doc)
        return -1;
    struct xr_ctx c = {st, api, host, doc, 0};
    struct xr_builder b;
    memset(&b, 0, sizeof b);

    int32_t skip[SKIP_TABLES_CAP];
    size_t n_skip = skip_tables(doc, skip);
    for (size_t i = 0; i < doc->n_blocks && !b.oom && b.n_recs < REFS_CAP; i++) {
        const struct qms_block *blk = &doc->blocks[i];
        if (blk->kind == QMS_BLOCK_CODE || blk->kind == QMS_BLOCK_MARKUP_COMMENT ||
            blk->kind == QMS_BLOCK_COMMENT || (blk->flags & QMS_BLOCK_FRONT_MATTER) || !blk->text)
            continue;
        int skipped = 0;
        for (size_t k = 0; k < n_skip && !skipped; k++)
            skipped = blk->table >= 0 && blk->table == skip[k];
        if (!skipped)
            scan_block(&c, &b, blk, i);
    }
    scan_links(&c, &b);

    int rc = 0;
    if (b.oom) {
        rc = -1;
    } else if (st->has_digest) {
        struct xr_head head = {XR_MAGIC, (uint32_t)b.n_recs, (uint32_t)b.pool_len};
        size_t size = sizeof head + b.n_recs * sizeof(struct xr_rec) + b.pool_len;
        unsigned char *data = malloc(size);
        if (!data) {
            rc = -1;
        } else {
            memcpy(data, &head, sizeof head);
            if (b.n_recs)
                memcpy(data + sizeof head, b.recs, b.n_recs * sizeof(struct xr_rec));
            if (b.pool_len)
                memcpy(data + sizeof head + b.n_recs * sizeof(struct xr_rec), b.pool, b.pool_len);
            if (api->digest_put(host, data, size) < 0)
                rc = -1;
            free(data);
        }
    }
    free(b.recs);
    free(b.pool);
    return rc < 0 || c.failed ? -1 : 0;
}

/* ------------------------------------------------------------------ titles */

struct xr_tokens {
    char tok[TOKENS_CAP][32];
    size_t n;
};

/* Glue and document-type words (rules/xref.yml): not what tells two titles apart. */
static int stopword(const struct xr_state *st, const char *w)
{
    const struct xr_words *ws = &st->stopwords;
    if (ws->n_slots)
        return ws->slots[words_slot(ws, w)] != 0;
    for (size_t i = 0; i < ws->n; i++)
        if (strcmp(w, ws->items[i]) == 0)
            return 1;
    return 0;
}

/* A title or heading naming external documents (rules/xref.yml external_register_words). */
static int says_external(const struct xr_state *st, const char *text)
{
    for (size_t i = 0; text && i < st->external_words.n; i++)
        if (ci_has(text, st->external_words.items[i]))
            return 1;
    return 0;
}

/* Lower-case words of a title, IDs and stop words left out. */
static void tokenize(const struct xr_state *st, const char *s, struct xr_tokens *out)
{
    char buf[TITLE_CAP + 1];
    size_t len = strlen(s);
    if (len > TITLE_CAP)
        len = TITLE_CAP;
    memcpy(buf, s, len);
    buf[len] = '\0';
    size_t pos = 0, ms, me;
    while (pos < len && st->api->regex_match(st->id_re, buf, len, pos, &ms, &me) > 0 && me > ms &&
           me <= len) {
        memset(buf + ms, ' ', me - ms);
        pos = me;
    }
    out->n = 0;
    for (size_t i = 0; i < len && out->n < TOKENS_CAP;) {
        unsigned char ch = (unsigned char)buf[i];
        if (!is_alnum(ch) && ch < 0x80) {
            i++;
            continue;
        }
        char *t = out->tok[out->n];
        size_t n = 0;
        while (i < len && (is_alnum((unsigned char)buf[i]) || (unsigned char)buf[i] >= 0x80)) {
            if (n + 1 < sizeof out->tok[0])
                t[n++] = (char)lower((unsigned char)buf[i]);
            i++;
        }
        t[n] = '\0';
        if (!stopword(st, t))
            out->n++;
    }
}

/* Levenshtein distance up to 2 (3 means "more"). */
static int small_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb + 2 || lb > la + 2)
        return 3;
    int prev[33], cur[33];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int d = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            cur[j] = d;
        }
        memcpy(prev, cur, (lb + 1) * sizeof cur[0]);
    }
    return prev[lb] > 3 ? 3 : prev[lb];
}

/* Same word, give or take an ending (audit/auditing, document/documents) or one typo. */
static int token_eq(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    size_t la = strlen(a), lb = strlen(b);
    size_t m = la < lb ? la : lb;
    if (m >= 4 && strncmp(a, b, m) == 0 && (la > lb ? la - lb : lb - la) <= 3)
        return 1;
    return m >= 5 && small_distance(a, b) <= 1;
}

/* Jaccard similarity of two word sets with token_eq: 0..100. Empty sets are "same". */
static int title_similarity(const struct xr_tokens *a, const struct xr_tokens *b)
{
    if (a->n == 0 || b->n == 0)
        return 100;
    int used[TOKENS_CAP] = {0};
    size_t matched = 0;
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (!used[j] && token_eq(a->tok[i], b->tok[j])) {
                used[j] = 1;
                matched++;
                break;
            }
    size_t uni = a->n + b->n - matched;
    return uni ? (int)(matched * 100 / uni) : 100;
}

#define TITLE_SAME 60 /* percent: "Document Control" ~ "Control of Documents" */

/* A title's key for exact look-up: its sorted distinct words. */
static char *title_key(const struct xr_state *st, const char *title)
{
    struct xr_tokens t;
    tokenize(st, title, &t);
    if (t.n == 0)
        return NULL;
    /* insertion sort: a title has a handful of words, and equal words are equal bytes, so
     * any correct sort gives the same key; qsort's set-up cost more than the sorting */
    for (size_t i = 1; i < t.n; i++) {
        char w[sizeof t.tok[0]];
        memcpy(w, t.tok[i], sizeof w);
        size_t j = i;
        for (; j > 0 && strcmp(t.tok[j - 1], w) > 0; j--)
            memcpy(t.tok[j], t.tok[j - 1], sizeof w);
        memcpy(t.tok[j], w, sizeof w);
    }
    char *key = malloc(t.n * sizeof t.tok[0] + 1);
    if (!key)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (i && strcmp(t.tok[i], t.tok[i - 1]) == 0)
            continue;
        size_t l = strlen(t.tok[i]);
        if (n)
            key[n++] = ' ';
        memcpy(key + n, t.tok[i], l);
        n += l;
    }
    key[n] = '\0';
    return key;
}

/* ------------------------------------------------------------------ check_set: the set */

struct xr_doc {
    const struct qms_digest *d;
    const char *id;                      /* primary ID, or NULL */
    const char *title;                   /* shown in messages, or NULL */
    const struct qms_meta_value *rev;    /* current revision, or NULL */
    const char *status;                  /* canonical status, or NULL */
    const char *type;
    int is_register, external_register, obsolete;
    int referenced, listed;
    const unsigned char *data;           /* the plugin record */
    struct xr_head head;
    const char *pool;
    struct xr_anchors anchors;           /* built when a link first points into it */
    const char *register_why;            /* the master list's out-of-force status, or NULL */
    int register_why_done;
};

struct xr_key {
    const char *key;
    uint64_t head; /* key's first 8 bytes, big-endian, zero-padded: orders as strcmp does */
    size_t doc;
    const struct qms_meta_register_entry *entry; /* register index only */
    int external;
    int primary;  /* ID index: the document's own (first) ID; sorts first among equal keys */
    size_t order; /* a tie-break that keeps qsort's output the same on every platform */
};

/* The head of a key (struct xr_key): most comparisons of a sort end on it, without a strcmp
 * and its read of the string, wherever that is in memory. */
static uint64_t key_head(const char *key)
{
    uint64_t h = 0;
    for (size_t i = 0, end = 0; i < 8; i++) {
        end = end || !key[i];
        h = h << 8 | (end ? 0u : (unsigned char)key[i]);
    }
    return h;
}

static int key_cmp(const void *a, const void *b)
{
    const struct xr_key *x = a, *y = b;
    if (x->head != y->head)
        return x->head < y->head ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->primary != y->primary)
        return x->primary ? -1 : 1;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* First index of key in a sorted array, or n. */
static size_t key_find(const struct xr_key *keys, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(keys[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(keys[lo].key, key) == 0 ? lo : n;
}

struct xr_set {
    struct xr_ctx c;
    const struct qms_set *set;
    struct xr_doc *docs;
    size_t n_docs;
    struct xr_key *ids;      size_t n_ids;      /* every ID value of every document */
    struct xr_key *entries;  size_t n_entries;  /* every register entry */
    struct xr_key *titles;   size_t n_titles;   /* title keys (malloc'd keys) */
    struct xr_key *stems;    size_t n_stems;    /* lower-case file names without extension */
    struct xr_key *prefixes; size_t n_prefixes; /* ID prefixes the set's documents use */
    int has_register;                           /* a master list that is not only external */
    size_t first_register;
};

/* Canonical status words (rules/labels.yml): 1 in preparation, 2 in force, 3 out of force. */
static int status_class(const char *s)
{
    if (!s || !s[0])
        return 0;
    if (!strcmp(s, "draft") || !strcmp(s, "in-review"))
        return 1;
    if (!strcmp(s, "approved") || !strcmp(s, "effective") || !strcmp(s, "released"))
        return 2;
    if (!strcmp(s, "obsolete") || !strcmp(s, "superseded") || !strcmp(s, "withdrawn"))
        return 3;
    return 0;
}

static const char *first_value(const struct qms_meta *m, enum qms_meta_field f)
{
    const struct qms_meta_value *v = qms_meta_first(m, f);
    return v && v->value && v->value[0] ? v->value : NULL;
}

/* The type prefix of an ID, its leading letters: "SOP" of "SOP-IT-004", "PG" of "PG 01". */
static size_t id_prefix(const char *id, char *out, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap && ((id[n] >= 'A' && id[n] <= 'Z') || (id[n] >= 'a' && id[n] <= 'z')))
        n++;
    memcpy(out, id, n);
    out[n] = '\0';
    return n;
}

/* Whether an ID looks like one of this set's document numbers: its prefix is a document-type
   prefix (rules/labels.yml) or one a document or register entry of the set uses. Product
   codes ("FM-200"), equipment ("LT-2") and the like are not cited documents. */
static int document_like(const struct xr_set *x, const char *id)
{
    char pre[ID_CAP];
    if (!id_prefix(id, pre, sizeof pre))
        return 0;
    for (size_t i = 0; i < x->c.st->n_prefixes; i++)
        if (strcmp(x->c.st->prefixes[i], pre) == 0)
            return 1;
    size_t lo = 0, hi = x->n_prefixes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->prefixes[mid].key, pre);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int is_external_id(const struct xr_set *x, const char *id)
{
    const struct xr_state *st = x->c.st;
    for (size_t i = 0; i < st->n_external; i++)
        if (strcmp(st->external[i], id) == 0 || fnmatch(st->external[i], id, 0) == 0)
            return 1;
    size_t k = key_find(x->entries, x->n_entries, id);
    for (; k < x->n_entries && strcmp(x->entries[k].key, id) == 0; k++)
        if (x->entries[k].external)
            return 1;
    return 0;
}

/* The document carrying an ID: the one whose primary ID it is, else the first carrying it
   (the index sorts primary IDs first among equal keys, so that is the first match). */
static struct xr_doc *doc_by_id(struct xr_set *x, const char *id)
{
    size_t k = key_find(x->ids, x->n_ids, id);
    if (k == x->n_ids)
        return NULL;
    return &x->docs[x->ids[k].doc];
}

static int path_cmp(const void *key, const void *elem)
{
    const struct xr_doc *d = elem;
    return strcmp(key, d->d->path ? d->d->path : "");
}

static struct xr_doc *doc_by_path(struct xr_set *x, const char *path)
{
    return bsearch(path, x->docs, x->n_docs, sizeof *x->docs, path_cmp);
}

static int add_key(struct xr_key **arr, size_t *n, size_t *cap, const char *key, size_t doc,
                   const struct qms_meta_register_entry *entry, int external)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        struct xr_key *g = realloc(*arr, c * sizeof *g);
        if (!g)
            return -1;
        *arr = g;
        *cap = c;
    }
    struct xr_key *k = &(*arr)[(*n)++];
    k->key = key;
    k->head = key_head(key);
    k->doc = doc;
    k->entry = entry;
    k->external = external;
    k->primary = 0;
    k->order = *n;
    return 0;
}

static int title_matches(const struct xr_set *x, const struct xr_doc *d, const char *cited)
{
    struct xr_tokens a, b;
    tokenize(x->c.st, cited, &a);
    if (a.n == 0)
        return 1;
    const struct qms_meta *m = d->d->meta;
    int any = 0;
    if (m)
        for (size_t i = 0; i < m->fields[QMS_META_TITLE].n; i++) {
            const char *t = m->fields[QMS_META_TITLE].items[i].value;
            if (!t || !t[0])
                continue;
            any = 1;
            tokenize(x->c.st, t, &b);
            if (title_similarity(&a, &b) >= TITLE_SAME)
                return 1;
        }
    if (d->d->title && d->d->title[0]) {
        any = 1;
        tokenize(x->c.st, d->d->title, &b);
        if (title_similarity(&a, &b) >= TITLE_SAME)
            return 1;
    }
    return !any;
}

static int load_docs(struct xr_set *x)
{
    const struct qms_set *set = x->set;
    size_t cap_ids = 0, cap_entries = 0, cap_titles = 0, cap_stems = 0;
    x->docs = calloc(set->n_docs ? set->n_docs : 1, sizeof *x->docs);
    if (!x->docs)
        return -1;
    x->n_docs = set->n_docs;
    x->first_register = (size_t)-1;
    for (size_t i = 0; i < set->n_docs; i++) {
        struct xr_doc *d = &x->docs[i];
        const struct qms_digest *dg = &set->docs[i];
        const struct qms_meta *m = dg->meta;
        d->d = dg;
        if (dg->unreadable)
            continue;
        size_t len = 0;
        const unsigned char *data = x->c.api->digest_get(x->c.host, dg, &len);
        if (data && len >= sizeof d->head) {
            memcpy(&d->head, data, sizeof d->head);
            size_t need = sizeof d->head + (size_t)d->head.n_recs * sizeof(struct xr_rec);
            if (d->head.magic == XR_MAGIC && d->head.n_recs <= REFS_CAP && need <= len &&
                len - need == d->head.pool_len && (d->head.pool_len == 0 || data[len - 1] == '\0')) {
                d->data = data;
                d->pool = (const char *)data + need;
            }
        }
        d->id = first_value(m, QMS_META_ID);
        d->title = first_value(m, QMS_META_TITLE);
        if (!d->title && dg->title && dg->title[0])
            d->title = dg->title;
        d->rev = qms_meta_first(m, QMS_META_REVISION);
        d->status = first_value(m, QMS_META_STATUS);
        d->type = first_value(m, QMS_META_TYPE);
        d->obsolete = status_class(d->status) == 3;
        d->is_register = (m && m->n_register_entries > 0) || (d->type && !strcmp(d->type, "register"));
        d->external_register = d->is_register &&
                               (says_external(x->c.st, d->title) || says_external(x->c.st, dg->title));
        if (m) {
            const struct qms_meta_values *v = &m->fields[QMS_META_ID];
            for (size_t k = 0; k < v->n; k++) {
                const struct qms_meta_value *iv = &v->items[k];
                if ((iv->flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED)) || !iv->value ||
                    !iv->value[0])
                    continue;
                int dup = 0;
                for (size_t j = 0; j < k && !dup; j++)
                    dup = v->items[j].value && strcmp(v->items[j].value, iv->value) == 0;
                if (!dup && add_key(&x->ids, &x->n_ids, &cap_ids, iv->value, i, NULL, 0) < 0)
                    return -1;
            }
            for (size_t k = 0; k < m->n_register_entries; k++) {
                const struct qms_meta_register_entry *e = &m->register_entries[k];
                if ((e->id.flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED)) || !e->id.value ||
                    !e->id.value[0])
                    continue;
                int ext = d->external_register || says_external(x->c.st, e->loc.section);
                if (add_key(&x->entries, &x->n_entries, &cap_entries, e->id.value, i, e, ext) < 0)
                    return -1;
                if (!ext && !x->has_register) {
                    x->has_register = 1;
                    x->first_register = i;
                }
            }
        }
        const char *titles[2] = {d->title, dg->title};
        for (size_t k = 0; k < 2; k++) {
            if (!titles[k] || (k == 1 && d->title == dg->title))
                continue;
            char *key = title_key(x->c.st, titles[k]);
            if (key && add_key(&x->titles, &x->n_titles, &cap_titles, key, i, NULL, 0) < 0) {
                free(key);
                return -1;
            }
        }
        if (dg->path) {
            const char *base = strrchr(dg->path, '/');
            base = base ? base + 1 : dg->path;
            size_t bl = strcspn(base, ".");
            if (!bl)
                bl = strlen(base);
            char *stem = malloc(bl + 1);
            if (!stem)
                return -1;
            for (size_t k = 0; k < bl; k++)
                stem[k] = (char)lower((unsigned char)base[k]);
            stem[bl] = '\0';
            if (add_key(&x->stems, &x->n_stems, &cap_stems, stem, i, NULL, 0) < 0) {
                free(stem);
                return -1;
            }
        }
    }
    /* Each distinct prefix once: only whether one is there is ever asked, and a set of
     * 30,000 documents has a few dozen prefixes, not one per ID. */
    size_t cap_prefixes = 0, n_seen = 64;
    while (n_seen < (x->n_ids + x->n_entries) * 2)
        n_seen *= 2;
    uint32_t *seen = calloc(n_seen, sizeof *seen);
    if (!seen)
        return -1;
    for (size_t pass = 0; pass < 2; pass++) {
        const struct xr_key *keys = pass ? x->entries : x->ids;
        size_t n = pass ? x->n_entries : x->n_ids;
        for (size_t k = 0; k < n; k++) {
            char pre[ID_CAP];
            if (!id_prefix(keys[k].key, pre, sizeof pre))
                continue;
            size_t slot = str_hash(pre) & (n_seen - 1);
            while (seen[slot] && strcmp(x->prefixes[seen[slot] - 1].key, pre) != 0)
                slot = (slot + 1) & (n_seen - 1);
            if (seen[slot])
                continue;
            char *copy = strdup(pre);
            if (!copy || add_key(&x->prefixes, &x->n_prefixes, &cap_prefixes, copy, 0, NULL, 0) < 0) {
                free(copy);
                free(seen);
                return -1;
            }
            seen[slot] = (uint32_t)x->n_prefixes;
        }
    }
    free(seen);
    if (x->n_prefixes)
        qsort(x->prefixes, x->n_prefixes, sizeof *x->prefixes, key_cmp);
    for (size_t k = 0; k < x->n_ids; k++)
        x->ids[k].primary = x->docs[x->ids[k].doc].id && strcmp(x->docs[x->ids[k].doc].id, x->ids[k].key) == 0;
    if (x->n_ids)
        qsort(x->ids, x->n_ids, sizeof *x->ids, key_cmp);
    if (x->n_entries)
        qsort(x->entries, x->n_entries, sizeof *x->entries, key_cmp);
    if (x->n_titles)
        qsort(x->titles, x->n_titles, sizeof *x->titles, key_cmp);
    if (x->n_stems)
        qsort(x->stems, x->n_stems, sizeof *x->stems, key_cmp);
    for (size_t k = 0; k < x->n_entries; k++)
        if (x->entries[k].doc != (size_t)-1) {
            struct xr_doc *t = doc_by_id(x, x->entries[k].key);
            if (t)
                t->listed = 1;
        }
    return 0;
}

static const char *pstr(const struct xr_doc *d, uint32_t off)
{
    return off && off < d->head.pool_len ? d->pool + off : NULL;
}

static struct qms_location rec_loc(const struct xr_doc *d, const struct xr_rec *r)
{
    struct qms_location loc = {pstr(d, r->part), r->line, r->column, r->block, pstr(d, r->section)};
    return loc;
}

/* A pinned revision as a metadata value, for qms_meta_rev_cmp. */
static void parse_pin(const char *rev, struct qms_meta_value *out)
{
    memset(out, 0, sizeof *out);
    out->value = rev;
    if (rev[0] >= '0' && rev[0] <= '9') {
        uint64_t comp[3] = {0, 0, 0};
        int n = 0;
        for (const char *p = rev; *p && n < 3;) {
            uint64_t v = 0;
            while (*p >= '0' && *p <= '9' && v < 0xFFFFF)
                v = v * 10 + (uint64_t)(*p++ - '0');
            comp[n++] = v;
            if (*p == '.')
                p++;
            else
                break;
        }
        out->rev_scheme = n == 1 ? QMS_REV_NUMBER : QMS_REV_DOTTED;
        out->rev_key = (comp[0] << 40) | (comp[1] << 20) | comp[2];
    } else {
        uint64_t k = 0;
        for (const char *p = rev; *p; p++)
            k = k * 26 + (uint64_t)(lower((unsigned char)*p) - 'a' + 1);
        out->rev_scheme = QMS_REV_LETTER;
        out->rev_key = k;
    }
}

/* Reported once per citing document, rule and key. */
struct xr_seen {
    const char *rule[64];
    char key[64][ID_CAP + PATH_CAP / 4];
    size_t n;
};

static int seen_once(struct xr_seen *s, const char *rule, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->rule[i] == rule && strcmp(s->key[i], key) == 0)
            return 0;
    if (s->n < 64) {
        s->rule[s->n] = rule;
        snprintf(s->key[s->n], sizeof s->key[0], "%s", key);
        s->n++;
    }
    return 1;
}

/* A revision as written ("04"), else its normalized value. */
static const char *shown_rev(const struct qms_meta_value *v)
{
    if (v->raw && v->raw[0] && strlen(v->raw) < REV_CAP)
        return v->raw;
    return v->value && v->value[0] ? v->value : "?";
}

static int rev_differs(const struct qms_meta_value *pin, const struct qms_meta_value *cur)
{
    int c = qms_meta_rev_cmp(pin, cur);
    if (c == QMS_REV_INCOMPARABLE)
        return cur->rev_scheme != QMS_REV_NONE && !ci_eq(pin->value, cur->value);
    return c != 0;
}

static void check_target(struct xr_set *x, struct xr_doc *from, const struct xr_rec *r,
                         struct xr_doc *t, const char *id, struct xr_seen *seen)
{
    struct xr_ctx *c = &x->c;
    struct qms_location loc = rec_loc(from, r);
    char shown[SHOW_CAP], shown2[SHOW_CAP];
    if (t != from)
        t->referenced = 1;
    if (t == from)
        return;
    /* out of force: its own status, or the master list's */
    const char *why = NULL;
    if (t->obsolete)
        why = t->status;
    else if (t->id) {
        if (!t->register_why_done) { /* once per target, not once per citation */
            size_t k = key_find(x->entries, x->n_entries, t->id);
            for (; k < x->n_entries && !t->register_why && strcmp(x->entries[k].key, t->id) == 0; k++)
                if (!x->entries[k].external && status_class(x->entries[k].entry->status.value) == 3)
                    t->register_why = x->entries[k].entry->status.value;
            t->register_why_done = 1;
        }
        why = t->register_why;
    }
    if (why && !(r->flags & XR_F_SUPERSEDES) && !from->obsolete && rule_on(c, RULE_OBSOLETE) &&
        seen_once(seen, RULE_OBSOLETE, t->d->path)) {
        report(c, RULE_OBSOLETE, from->d->path, &loc, id ? id : t->d->path,
               "cites %s, which is %s (%s)", id ? id : t->d->path, why, t->d->path);
    }
    const char *rev = pstr(from, r->rev);
    if (rev && t->rev && rule_on(c, RULE_REVISION)) {
        struct qms_meta_value pin;
        parse_pin(rev, &pin);
        if (rev_differs(&pin, t->rev))
            report(c, RULE_REVISION, from->d->path, &loc, id,
                   "cites %s Rev %s, but %s is at revision %s (%s)", id, rev, id,
                   shown_rev(t->rev), t->d->path);
    }
    const char *title = pstr(from, r->title);
    if (title && id && rule_on(c, RULE_TITLE) && !title_matches(x, t, title)) {
        show(shown, sizeof shown, title, strlen(title));
        show(shown2, sizeof shown2, t->title ? t->title : "", t->title ? strlen(t->title) : 0);
        report(c, RULE_TITLE, from->d->path, &loc, id,
               "cites %s as \"%s\", but its title is \"%s\" (%s)", id, shown, shown2, t->d->path);
    }
    const char *anchor = pstr(from, r->anchor);
    if (anchor && !t->d->unreadable && rule_on(c, RULE_ANCHOR) &&
        anchors_index(&t->anchors, t->d->anchors, t->d->n_anchors) < 0) {
        c->failed = 1;
        return;
    }
    if (anchor && !t->d->unreadable && rule_on(c, RULE_ANCHOR) && !anchor_in(&t->anchors, anchor)) {
        show(shown, sizeof shown, anchor, strlen(anchor));
        report(c, RULE_ANCHOR, from->d->path, &loc, anchor,
               "link to '%s#%s': %s has no such anchor, heading or bookmark", t->d->path, shown,
               t->d->path);
    }
}

static struct xr_doc *doc_by_name(struct xr_set *x, const char *name)
{
    char low[PATH_CAP];
    size_t n = 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    for (; base[n] && n + 1 < sizeof low; n++)
        low[n] = (char)lower((unsigned char)base[n]);
    low[n] = '\0';
    size_t k = key_find(x->stems, x->n_stems, low);
    if (k < x->n_stems)
        return &x->docs[x->stems[k].doc];
    char *dot = strrchr(low, '.');
    if (dot) {
        *dot = '\0';
        k = key_find(x->stems, x->n_stems, low);
        if (k < x->n_stems)
            return &x->docs[x->stems[k].doc];
    }
    struct xr_doc *d = doc_by_id(x, name);
    if (d)
        return d;
    char *key = title_key(x->c.st, name);
    if (key) {
        k = key_find(x->titles, x->n_titles, key);
        free(key);
        if (k < x->n_titles)
            return &x->docs[x->titles[k].doc];
    }
    return NULL;
}

static void resolve_refs(struct xr_set *x, struct xr_doc *from)
{
    struct xr_ctx *c = &x->c;
    if (!from->head.n_recs)
        return;
    /* seen_once reads only its first n entries: zeroing its 20 KB for each of 30,000
     * documents cost more than resolving their references */
    struct xr_seen *seen = malloc(sizeof *seen);
    char shown[SHOW_CAP];
    if (seen)
        seen->n = 0;
    if (!seen) {
        c->failed = 1;
        return;
    }
    for (uint32_t i = 0; i < from->head.n_recs; i++) {
        struct xr_rec r;
        memcpy(&r, from->data + sizeof from->head + (size_t)i * sizeof r, sizeof r);
        struct qms_location loc = rec_loc(from, &r);
        const char *id = pstr(from, r.id);
        if (r.kind == XR_ID && id) {
            struct xr_doc *t = doc_by_id(x, id);
            if (t) {
                check_target(x, from, &r, t, id, seen);
                continue;
            }
            if (is_external_id(x, id))
                continue;
            size_t k = key_find(x->entries, x->n_entries, id);
            if (k < x->n_entries) { /* listed but absent: xref/master-list says so, once */
                if (!(r.flags & XR_F_SUPERSEDES) && !from->obsolete &&
                    status_class(x->entries[k].entry->status.value) == 3 &&
                    rule_on(c, RULE_OBSOLETE) && seen_once(seen, RULE_OBSOLETE, id))
                    report(c, RULE_OBSOLETE, from->d->path, &loc, id,
                           "cites %s, which the master list marks %s", id,
                           x->entries[k].entry->status.value);
                continue;
            }
            if (rule_on(c, RULE_DANGLING) && (document_like(x, id) || (r.flags & XR_F_WIKILINK)) &&
                seen_once(seen, RULE_DANGLING, id)) {
                show(shown, sizeof shown, id, strlen(id)); /* a custom id_pattern may match anything */
                report(c, RULE_DANGLING, from->d->path, &loc, id,
                       "%s is cited but no document in the set carries it%s", shown,
                       (r.flags & XR_F_WIKILINK) ? " (wikilink)" : "");
            }
        } else if (r.kind == XR_TITLE) {
            const char *title = pstr(from, r.title);
            char *key = title ? title_key(c->st, title) : NULL;
            if (!key)
                continue;
            size_t k = key_find(x->titles, x->n_titles, key);
            free(key);
            if (k < x->n_titles)
                check_target(x, from, &r, &x->docs[x->titles[k].doc], x->docs[x->titles[k].doc].id,
                             seen);
        } else if (r.kind == XR_FILE) {
            const char *raw = pstr(from, r.raw);
            const char *target = pstr(from, r.target);
            show(shown, sizeof shown, raw ? raw : "", raw ? strlen(raw) : 0);
            if (r.flags & XR_F_OUTSIDE) {
                if (rule_on(c, RULE_LINK) && seen_once(seen, RULE_LINK, raw ? raw : ""))
                    report(c, RULE_LINK, from->d->path, &loc, raw,
                           "link to '%s' leaves the document set", shown);
                continue;
            }
            if (!target)
                continue;
            struct xr_doc *t = doc_by_path(x, target);
            if (t) {
                check_target(x, from, &r, t, t->id, seen);
                continue;
            }
            if (!x->set->root || !rule_on(c, RULE_LINK) || !seen_once(seen, RULE_LINK, target))
                continue;
            size_t need = strlen(x->set->root) + strlen(target) + 2;
            char *full = malloc(need);
            if (!full) {
                c->failed = 1;
                break;
            }
            snprintf(full, need, "%s/%s", x->set->root, target);
            struct stat sb;
            if (stat(full, &sb) != 0) {
                char shown_target[SHOW_CAP * 2];
                show(shown_target, sizeof shown_target, target, strlen(target));
                report(c, RULE_LINK, from->d->path, &loc, raw,
                       "link to '%s': %s does not exist", shown, shown_target);
            }
            free(full);
        } else if (r.kind == XR_WIKI) {
            const char *name = pstr(from, r.target);
            if (!name)
                continue;
            struct xr_doc *t = doc_by_name(x, name);
            if (t) {
                check_target(x, from, &r, t, t->id, seen);
            } else if (rule_on(c, RULE_LINK) && seen_once(seen, RULE_LINK, name)) {
                show(shown, sizeof shown, name, strlen(name));
                report(c, RULE_LINK, from->d->path, &loc, name,
                       "wikilink [[%s]] matches no document, title or ID in the set", shown);
            }
        }
    }
    free(seen);
}

static void check_duplicates(struct xr_set *x)
{
    struct xr_key *prim = malloc((x->n_docs ? x->n_docs : 1) * sizeof *prim);
    size_t n = 0;
    if (!prim) {
        x->c.failed = 1;
        return;
    }
    for (size_t i = 0; i < x->n_docs; i++)
        if (x->docs[i].id) {
            prim[n].key = x->docs[i].id;
            prim[n].head = key_head(x->docs[i].id);
            prim[n].doc = i;
            prim[n].entry = NULL;
            prim[n].primary = 0;
            prim[n].order = n;
            prim[n++].external = 0;
        }
    if (n)
        qsort(prim, n, sizeof *prim, key_cmp);
    /* each later document of a run of equal IDs, naming the first (by path) */
    size_t first = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(prim[first].key, prim[i].key) != 0) {
            first = i; /* a new run: linear, however many documents share one ID */
            continue;
        }
        struct xr_doc *d = &x->docs[prim[i].doc], *o = &x->docs[prim[first].doc];
        struct qms_location loc = {0};
        const struct qms_meta_value *v = qms_meta_first(d->d->meta, QMS_META_ID);
        if (v)
            loc = v->loc;
        report(&x->c, RULE_DUPLICATE, d->d->path, &loc, d->id, "%s is claimed by both %s and %s",
               d->id, o->d->path, d->d->path);
    }
    free(prim);
}

static void check_register(struct xr_set *x)
{
    struct xr_ctx *c = &x->c;
    char shown[SHOW_CAP], shown2[SHOW_CAP];
    for (size_t k = 0; k < x->n_entries; k++) {
        const struct xr_key *e = &x->entries[k];
        if (e->external)
            continue;
        struct xr_doc *reg = &x->docs[e->doc];
        const struct qms_meta_register_entry *en = e->entry;
        struct xr_doc *t = doc_by_id(x, e->key);
        if (!t) {
            report(c, RULE_MASTER, reg->d->path, &en->loc, e->key,
                   "the register lists %s, but no document in the set carries it", e->key);
            continue;
        }
        if (t == reg)
            continue;
        /* one key per aspect: a fixed revision and a new title disagreement are two findings
           to a baseline, not one that moved */
        char key[ID_CAP + 16];
        snprintf(key, sizeof key, "%.*s revision", ID_CAP, e->key);
        if (t->rev && !(en->revision.flags & (QMS_META_PLACEHOLDER | QMS_META_UNPARSED)) &&
            en->revision.value && en->revision.value[0] && rev_differs(&en->revision, t->rev))
            report(c, RULE_MASTER, reg->d->path, &en->loc, key,
                   "the register gives %s revision %s, but %s is at revision %s", e->key,
                   shown_rev(&en->revision), t->d->path, shown_rev(t->rev));
        if (en->title && en->title[0] && !title_matches(x, t, en->title)) {
            show(shown, sizeof shown, en->title, strlen(en->title));
            show(shown2, sizeof shown2, t->title ? t->title : "", t->title ? strlen(t->title) : 0);
            snprintf(key, sizeof key, "%.*s title", ID_CAP, e->key);
            report(c, RULE_MASTER, reg->d->path, &en->loc, key,
                   "the register titles %s \"%s\", but %s is titled \"%s\"", e->key, shown,
                   t->d->path, shown2);
        }
        const char *es = en->status.value;
        if (t->status && es && es[0] && !(en->status.flags & QMS_META_UNPARSED)) {
            int a = status_class(es), b = status_class(t->status);
            snprintf(key, sizeof key, "%.*s status", ID_CAP, e->key);
            if (a && b ? a != b : strcmp(es, t->status) != 0)
                report(c, RULE_MASTER, reg->d->path, &en->loc, key,
                       "the register gives %s status %s, but %s says %s", e->key, es, t->d->path,
                       t->status);
        }
    }
    if (!x->has_register)
        return;
    struct xr_doc *reg = &x->docs[x->first_register];
    struct qms_location at = {0};
    if (reg->d->meta && reg->d->meta->n_register_entries)
        at = reg->d->meta->register_entries[0].loc;
    for (size_t i = 0; i < x->n_docs; i++) {
        struct xr_doc *d = &x->docs[i];
        if (!d->id || d->is_register || (d->type && !strcmp(d->type, "external")))
            continue;
        size_t k = key_find(x->entries, x->n_entries, d->id);
        int listed = 0;
        for (; k < x->n_entries && !listed && strcmp(x->entries[k].key, d->id) == 0; k++)
            listed = !x->entries[k].external;
        if (!listed)
            report(c, RULE_MASTER, reg->d->path, &at, d->id,
                   "%s (%s) is not listed in the register", d->id, d->d->path);
    }
}

static void check_orphans(struct xr_set *x)
{
    if (x->n_docs < 2)
        return;
    for (size_t i = 0; i < x->n_docs; i++) {
        struct xr_doc *d = &x->docs[i];
        if (!d->id || d->referenced || d->listed || d->is_register || d->d->unreadable)
            continue;
        if (d->type && (!strcmp(d->type, "manual") || !strcmp(d->type, "register") ||
                        !strcmp(d->type, "external")))
            continue;
        /* an ID two documents claim (xref/duplicate-id) is cited or listed as one: the
           citation reached the other claimant, not nothing */
        int claimed_and_cited = 0;
        for (size_t k = key_find(x->ids, x->n_ids, d->id); k < x->n_ids && !claimed_and_cited &&
                                                           strcmp(x->ids[k].key, d->id) == 0;
             k++) {
            const struct xr_doc *other = &x->docs[x->ids[k].doc];
            claimed_and_cited = other != d && (other->referenced || other->listed);
        }
        if (claimed_and_cited)
            continue;
        struct qms_location loc = {0};
        const struct qms_meta_value *v = qms_meta_first(d->d->meta, QMS_META_ID);
        if (v)
            loc = v->loc;
        report(&x->c, RULE_ORPHAN, d->d->path, &loc, d->id,
               "%s is cited by no document and listed in no register", d->id);
    }
}

static int xref_check_set(void *state, const struct qms_host_api *api, struct qms_host *host,
                          const struct qms_set *set)
{
    struct xr_state *st = state;
    if (!st || !set)
        return -1;
    if (!st->has_digest)
        return 0;
    struct xr_set x;
    memset(&x, 0, sizeof x);
    x.c.st = st;
    x.c.api = api;
    x.c.host = host;
    x.set = set;
    int rc = load_docs(&x);
    if (rc == 0) {
        for (size_t i = 0; i < x.n_docs && !x.c.failed; i++)
            if (x.docs[i].data)
                resolve_refs(&x, &x.docs[i]);
        if (rule_on(&x.c, RULE_DUPLICATE))
            check_duplicates(&x);
        if (rule_on(&x.c, RULE_MASTER))
            check_register(&x);
        if (rule_on(&x.c, RULE_ORPHAN))
            check_orphans(&x);
    }
    for (size_t i = 0; i < x.n_titles; i++)
        free((char *)x.titles[i].key);
    for (size_t i = 0; i < x.n_stems; i++)
        free((char *)x.stems[i].key);
    for (size_t i = 0; i < x.n_prefixes; i++)
        free((char *)x.prefixes[i].key);
    for (size_t i = 0; i < x.n_docs; i++)
        anchors_free(&x.docs[i].anchors);
    free(x.prefixes);
    free(x.titles);
    free(x.stems);
    free(x.ids);
    free(x.entries);
    free(x.docs);
    return rc < 0 || x.c.failed ? -1 : 0;
}
