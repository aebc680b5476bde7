/*
 * The Markdown reader: the block scanner (md_block.c) for the block structure of the common
 * forms, tree-sitter's block grammar for every other document, and its inline grammar (one
 * parse per inline range, as the grammar's README describes) for links and text.
 * Positions are byte offsets in the normalised text (BOM removed, CRLF -> LF), which keep
 * every line and column of the original file.
 */
#include "md_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tree_sitter/api.h>

#include "doc.h"
#include "reader.h"
#include "ynode.h"

const TSLanguage *tree_sitter_markdown(void);
const TSLanguage *tree_sitter_markdown_inline(void);

#define FRONT_MATTER_ERROR "qmslint.front-matter-error"

/* Node kinds we act on, both grammars. */
enum nk {
    NK_OTHER = 0,
    NK_ANON,
    NK_MINUS_METADATA,
    NK_PLUS_METADATA,
    NK_ATX_HEADING,
    NK_SETEXT_HEADING,
    NK_SETEXT_H1,
    NK_SETEXT_H2,
    NK_PARAGRAPH,
    NK_INLINE,
    NK_LIST,
    NK_LIST_ITEM,
    NK_BLOCK_QUOTE,
    NK_FENCED_CODE,
    NK_CODE_CONTENT,
    NK_INDENTED_CODE,
    NK_HTML_BLOCK,
    NK_LINK_REF_DEF,
    NK_LINK_LABEL,
    NK_LINK_DEST,
    NK_LINK_TEXT,
    NK_LINK_TITLE,
    NK_PIPE_TABLE,
    NK_TABLE_HEADER,
    NK_TABLE_ROW,
    NK_TABLE_CELL,
    NK_BLOCK_CONTINUATION,
    NK_CODE_SPAN,
    NK_CODE_SPAN_DELIM,
    NK_EMPHASIS_DELIM,
    NK_INLINE_LINK,
    NK_FULL_REF,
    NK_COLLAPSED_REF,
    NK_SHORTCUT,
    NK_IMAGE,
    NK_IMAGE_DESC,
    NK_URI_AUTOLINK,
    NK_EMAIL_AUTOLINK,
    NK_HTML_TAG,
    NK_BACKSLASH_ESCAPE,
    NK_ENTITY,
    NK_HARD_BREAK,
    NK_LATEX
};

static const struct {
    const char *name;
    enum nk kind;
} node_kinds[] = {
    {"minus_metadata", NK_MINUS_METADATA},
    {"plus_metadata", NK_PLUS_METADATA},
    {"atx_heading", NK_ATX_HEADING},
    {"setext_heading", NK_SETEXT_HEADING},
    {"setext_h1_underline", NK_SETEXT_H1},
    {"setext_h2_underline", NK_SETEXT_H2},
    {"paragraph", NK_PARAGRAPH},
    {"inline", NK_INLINE},
    {"list", NK_LIST},
    {"list_item", NK_LIST_ITEM},
    {"block_quote", NK_BLOCK_QUOTE},
    {"fenced_code_block", NK_FENCED_CODE},
    {"code_fence_content", NK_CODE_CONTENT},
    {"indented_code_block", NK_INDENTED_CODE},
    {"html_block", NK_HTML_BLOCK},
    {"link_reference_definition", NK_LINK_REF_DEF},
    {"link_label", NK_LINK_LABEL},
    {"link_destination", NK_LINK_DEST},
    {"link_text", NK_LINK_TEXT},
    {"link_title", NK_LINK_TITLE},
    {"pipe_table", NK_PIPE_TABLE},
    {"pipe_table_header", NK_TABLE_HEADER},
    {"pipe_table_row", NK_TABLE_ROW},
    {"pipe_table_cell", NK_TABLE_CELL},
    {"block_continuation", NK_BLOCK_CONTINUATION},
    {"code_span", NK_CODE_SPAN},
    {"code_span_delimiter", NK_CODE_SPAN_DELIM},
    {"emphasis_delimiter", NK_EMPHASIS_DELIM},
    {"inline_link", NK_INLINE_LINK},
    {"full_reference_link", NK_FULL_REF},
    {"collapsed_reference_link", NK_COLLAPSED_REF},
    {"shortcut_link", NK_SHORTCUT},
    {"image", NK_IMAGE},
    {"image_description", NK_IMAGE_DESC},
    {"uri_autolink", NK_URI_AUTOLINK},
    {"email_autolink", NK_EMAIL_AUTOLINK},
    {"html_tag", NK_HTML_TAG},
    {"backslash_escape", NK_BACKSLASH_ESCAPE},
    {"entity_reference", NK_ENTITY},
    {"numeric_character_reference", NK_ENTITY},
    {"hard_line_break", NK_HARD_BREAK},
    {"latex_block", NK_LATEX},
};

static enum nk kind_of(TSNode n)
{
    if (!ts_node_is_named(n))
        return NK_ANON;
    const char *t = ts_node_type(n);
    for (size_t i = 0; i < sizeof node_kinds / sizeof node_kinds[0]; i++)
        if (strcmp(t, node_kinds[i].name) == 0)
            return node_kinds[i].kind;
    return NK_OTHER; /* heading markers and the rest: read by their parent or walked through */
}

/* A byte range [start, end) of the source. */
struct span {
    uint32_t start, end;
};

struct refdef {
    const char *key;         /* normalised label */
    const char *destination; /* unescaped, without <> */
};

struct slug_slot {
    const char *slug;
    uint32_t count;
};

enum pend_what { PEND_LINK, PEND_COMMENT, PEND_ANCHOR };

/* What an inline range produced, added to the model after the block it belongs to. */
struct pending {
    enum pend_what what;
    int kind;           /* qms_link_kind / qms_anchor_kind */
    int unresolved;     /* a reference link whose label has no definition */
    const char *target; /* link target, comment text, anchor name */
    const char *text;   /* link text */
    uint32_t off;
};

struct md {
    struct qms_docb b;
    const char *path;
    const char *src;
    uint32_t len;
    const struct qms_limits *limits;
    struct qms_err *err;
    int rc;
    uint32_t max_depth;

    uint32_t *line_starts;
    uint32_t *cp_marks;       /* code points before each multiple of CP_MARK bytes */
    size_t n_lines;

    struct qms_arena *scratch; /* strings that live for one call */
    TSParser *inline_parser;

    struct refdef *defs;       /* open addressing, n_def_slots a power of two */
    size_t n_def_slots, n_defs;
    struct slug_slot *slugs;
    size_t n_slug_slots, n_slugs;

    struct pending *pend;
    size_t n_pend, cap_pend;

    /* The inline range being rendered. */
    struct span *excl;       /* block continuations inside it, sorted */
    size_t n_excl, cap_excl;
    struct span *wiki;       /* wikilinks found in it, sorted */
    size_t n_wiki, cap_wiki;
    struct span *keep;       /* code-span output in `out`, left alone by the wikilink rewrite */
    size_t n_keep, cap_keep;
    struct qms_buf out;      /* rendered text */
    int at_line_start;       /* skip the indentation of a continuation line */

    struct qms_buf tmp, tmp2; /* short-lived scratch */
};

static int grow(void **items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *n = realloc(*items, ncap * elem);
    if (!n)
        return QMS_ENOMEM;
    *items = n;
    *cap = ncap;
    return 0;
}

static void fail(struct md *m, int rc)
{
    if (!m->rc) {
        m->rc = rc;
        if (rc == QMS_ETOOBIG)
            qms_err_set(m->err, rc, "document model larger than the memory cap");
        else
            qms_err_set(m->err, rc, "out of memory");
    }
}

static const char *sdup(struct md *m, const char *s, size_t n)
{
    char *d = qms_arena_strndup(m->scratch, s ? s : "", s ? n : 0);
    if (!d)
        fail(m, QMS_ENOMEM);
    return d;
}

static const char *buf_str(const struct qms_buf *b) { return b->data ? b->data : ""; }

/* ---- positions ---- */

/* Columns count code points (as YAML front matter positions and SARIF's unicodeCodePoints
 * do), found from a mark every CP_MARK bytes: a location costs at most CP_MARK bytes of
 * counting however long its line. */
#define CP_MARK 256u

static int is_lead(unsigned char c) { return (c & 0xC0) != 0x80; }

static uint32_t cp_at(const struct md *m, uint32_t off)
{
    uint32_t k = off / CP_MARK, c = m->cp_marks[k];
    for (uint32_t i = k * CP_MARK; i < off; i++)
        c += is_lead((unsigned char)m->src[i]);
    return c;
}

static int build_lines(struct md *m)
{
    m->cp_marks = malloc((m->len / CP_MARK + 1) * sizeof *m->cp_marks);
    if (!m->cp_marks)
        return QMS_ENOMEM;
    uint32_t cps = 0;
    for (uint32_t i = 0; i < m->len; i++) {
        if (i % CP_MARK == 0)
            m->cp_marks[i / CP_MARK] = cps;
        cps += is_lead((unsigned char)m->src[i]);
    }
    if (m->len % CP_MARK == 0)
        m->cp_marks[m->len / CP_MARK] = cps;
    size_t n = 1;
    for (uint32_t i = 0; i < m->len; i++)
        n += m->src[i] == '\n';
    m->line_starts = malloc(n * sizeof *m->line_starts);
    if (!m->line_starts)
        return QMS_ENOMEM;
    m->n_lines = 0;
    m->line_starts[m->n_lines++] = 0;
    for (uint32_t i = 0; i < m->len; i++)
        if (m->src[i] == '\n')
            m->line_starts[m->n_lines++] = i + 1;
    return 0;
}

/* Line and byte column (tree-sitter's points count bytes). */
static struct qms_location byte_loc_at(const struct md *m, uint32_t off)
{
    size_t lo = 0, hi = m->n_lines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    struct qms_location loc = {0};
    loc.line = (uint32_t)lo + 1;
    loc.column = off - m->line_starts[lo] + 1;
    return loc;
}

/* Line and column (in code points) of a byte offset, for the model. */
static struct qms_location loc_at(const struct md *m, uint32_t off)
{
    struct qms_location loc = byte_loc_at(m, off);
    uint32_t line_start = off - (loc.column - 1);
    loc.column = cp_at(m, off) - cp_at(m, line_start) + 1;
    return loc;
}

static TSPoint point_at(const struct md *m, uint32_t off)
{
    struct qms_location l = byte_loc_at(m, off);
    TSPoint p = {l.line - 1, l.column - 1};
    return p;
}

/* ---- text output ---- */

/* Index of the first range of the sorted v[0..n) that ends after off. */
static size_t span_after(const struct span *v, size_t n, uint32_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void out_bytes(struct md *m, const char *s, size_t n)
{
    if (!n)
        return;
    m->at_line_start = 0;
    int rc = qms_buf_append(&m->out, s, n);
    if (rc)
        fail(m, rc);
}

/* Copies source text: block continuations skipped, a line break becomes one space and the
 * indentation of the next line is dropped (CommonMark's soft line break). */
static void out_raw(struct md *m, uint32_t a, uint32_t b)
{
    size_t k = span_after(m->excl, m->n_excl, a);
    uint32_t i = a;
    while (i < b) {
        if (k < m->n_excl && m->excl[k].start <= i) {
            if (m->excl[k].end > i)
                i = m->excl[k].end;
            k++;
            continue;
        }
        uint32_t stop = b;
        if (k < m->n_excl && m->excl[k].start < stop)
            stop = m->excl[k].start;
        while (i < stop) {
            char c = m->src[i];
            if (c == '\n') {
                while (m->out.len && (m->out.data[m->out.len - 1] == ' ' ||
                                      m->out.data[m->out.len - 1] == '\t'))
                    m->out.len--;
                if (m->out.len && m->out.data[m->out.len - 1] != '\n')
                    out_bytes(m, " ", 1);
                m->at_line_start = 1;
                i++;
                continue;
            }
            if (m->at_line_start && (c == ' ' || c == '\t')) {
                i++;
                continue;
            }
            uint32_t j = i;
            while (j < stop && m->src[j] != '\n')
                j++;
            out_bytes(m, m->src + i, j - i);
            i = j;
        }
    }
}

/* Copies source text as is, minus the given continuation ranges (code and comments). */
static void copy_verbatim(struct md *m, struct qms_buf *to, uint32_t a, uint32_t b,
                          const struct span *skip, size_t n_skip)
{
    size_t k = span_after(skip, n_skip, a);
    uint32_t i = a;
    while (i < b) {
        while (k < n_skip && skip[k].end <= i)
            k++;
        uint32_t stop = b;
        if (k < n_skip && skip[k].start <= i) {
            i = skip[k].end;
            continue;
        }
        if (k < n_skip && skip[k].start < stop)
            stop = skip[k].start;
        int rc = qms_buf_append(to, m->src + i, stop - i);
        if (rc) {
            fail(m, rc);
            return;
        }
        i = stop;
    }
}

static void push_pending(struct md *m, enum pend_what what, int kind, const char *target,
                         const char *text, uint32_t off, int unresolved)
{
    if (!target || !text)
        return;
    if (grow((void **)&m->pend, &m->cap_pend, m->n_pend + 1, sizeof *m->pend)) {
        fail(m, QMS_ENOMEM);
        return;
    }
    struct pending *p = &m->pend[m->n_pend++];
    p->what = what;
    p->kind = kind;
    p->target = target;
    p->text = text;
    p->off = off;
    p->unresolved = unresolved;
}

static int cmp_pending(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Adds what the last block's inline content produced, in reading order. */
static void flush_pending(struct md *m)
{
    if (m->n_pend > 1)
        qsort(m->pend, m->n_pend, sizeof *m->pend, cmp_pending);
    for (size_t i = 0; i < m->n_pend && !m->rc; i++) {
        struct pending *p = &m->pend[i];
        struct qms_location loc = loc_at(m, p->off);
        if (p->what == PEND_LINK) {
            struct qms_link *l = qms_docb_add_link(&m->b, (enum qms_link_kind)p->kind, p->target,
                                                   p->text, loc);
            if (!l)
                fail(m, QMS_ENOMEM);
            else if (p->unresolved)
                l->target_kind = QMS_TARGET_NAME;
        } else if (p->what == PEND_COMMENT) {
            if (!qms_docb_add_block(&m->b, QMS_BLOCK_MARKUP_COMMENT, 0, p->target,
                                    strlen(p->target), loc))
                fail(m, QMS_ENOMEM);
        } else if (!qms_docb_add_anchor(&m->b, (enum qms_anchor_kind)p->kind, p->target, loc)) {
            fail(m, QMS_ENOMEM);
        }
    }
    m->n_pend = 0;
}

/* ---- link reference definitions ---- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Unescapes a link destination: <...> removed, backslash escapes of punctuation resolved,
 * entities decoded. */
static const char *destination(struct md *m, uint32_t a, uint32_t b)
{
    if (b - a >= 2 && m->src[a] == '<' && m->src[b - 1] == '>') {
        a++;
        b--;
    }
    qms_buf_reset(&m->tmp2);
    for (uint32_t i = a; i < b && !m->rc; i++) {
        char c = m->src[i];
        int rc = 0;
        if (c == '\\' && i + 1 < b && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", m->src[i + 1]) &&
            m->src[i + 1]) {
            rc = qms_buf_appendc(&m->tmp2, m->src[++i]);
        } else if (c == '&') {
            uint32_t j = i + 1;
            while (j < b && j - i < 34 && m->src[j] != ';' && m->src[j] != '&')
                j++;
            if (j < b && m->src[j] == ';' && qms_md_entity(&m->tmp2, m->src + i, j - i + 1))
                i = j;
            else
                rc = qms_buf_appendc(&m->tmp2, c);
        } else {
            rc = qms_buf_appendc(&m->tmp2, c);
        }
        if (rc)
            fail(m, rc);
    }
    return sdup(m, buf_str(&m->tmp2), m->tmp2.len);
}

static const struct refdef *find_def(struct md *m, const char *label, size_t n)
{
    if (!m->n_def_slots || qms_md_label_key(&m->tmp, label, n) || !m->tmp.len)
        return NULL;
    const char *key = m->tmp.data;
    for (size_t i = hash_str(key) & (m->n_def_slots - 1);; i = (i + 1) & (m->n_def_slots - 1)) {
        if (!m->defs[i].key)
            return NULL;
        if (strcmp(m->defs[i].key, key) == 0)
            return &m->defs[i];
    }
}

static void add_def(struct md *m, TSNode def)
{
    TSNode label = {0}, dest = {0};
    int have_label = 0, have_dest = 0;
    uint32_t n = ts_node_named_child_count(def);
    for (uint32_t i = 0; i < n; i++) {
        TSNode c = ts_node_named_child(def, i);
        enum nk k = kind_of(c);
        if (k == NK_LINK_LABEL && !have_label) {
            label = c;
            have_label = 1;
        } else if (k == NK_LINK_DEST && !have_dest) {
            dest = c;
            have_dest = 1;
        }
    }
    if (!have_label)
        return;
    uint32_t a = ts_node_start_byte(label) + 1, b = ts_node_end_byte(label);
    if (b > a && m->src[b - 1] == ']')
        b--;
    if (b < a || qms_md_label_key(&m->tmp, m->src + a, b - a) || !m->tmp.len)
        return;
    /* keep the table at most half full */
    if (2 * (m->n_defs + 1) > m->n_def_slots) {
        size_t ns = m->n_def_slots ? m->n_def_slots * 2 : 64;
        struct refdef *nd = calloc(ns, sizeof *nd);
        if (!nd) {
            fail(m, QMS_ENOMEM);
            return;
        }
        for (size_t i = 0; i < m->n_def_slots; i++) {
            if (!m->defs[i].key)
                continue;
            size_t j = hash_str(m->defs[i].key) & (ns - 1);
            while (nd[j].key)
                j = (j + 1) & (ns - 1);
            nd[j] = m->defs[i];
        }
        free(m->defs);
        m->defs = nd;
        m->n_def_slots = ns;
    }
    const char *key = sdup(m, m->tmp.data, m->tmp.len);
    if (!key)
        return;
    size_t j = hash_str(key) & (m->n_def_slots - 1);
    while (m->defs[j].key) {
        if (strcmp(m->defs[j].key, key) == 0)
            return; /* the first definition wins */
        j = (j + 1) & (m->n_def_slots - 1);
    }
    const char *d = have_dest ? destination(m, ts_node_start_byte(dest), ts_node_end_byte(dest))
                              : sdup(m, "", 0);
    if (!d)
        return;
    m->defs[j].key = key;
    m->defs[j].destination = d;
    m->n_defs++;
}

static void collect_defs(struct md *m, TSNode root)
{
    TSTreeCursor cur = ts_tree_cursor_new(root);
    uint32_t depth = 0;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        enum nk k = kind_of(n);
        if (k == NK_LINK_REF_DEF)
            add_def(m, n);
        int descend = k != NK_LINK_REF_DEF && k != NK_INLINE && k != NK_PIPE_TABLE &&
                      k != NK_FENCED_CODE && k != NK_INDENTED_CODE && k != NK_HTML_BLOCK &&
                      k != NK_ANON && depth < m->max_depth;
        if (descend && ts_tree_cursor_goto_first_child(&cur)) {
            depth++;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!depth || !ts_tree_cursor_goto_parent(&cur)) {
                ts_tree_cursor_delete(&cur);
                return;
            }
            depth--;
        }
    }
}

/* ---- HTML: comments and explicit anchors ---- */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

static int ascii_ieq(const char *a, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n != k)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != lit[i])
            return 0;
    }
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

/* One start tag at src[a..b) ("<a id=x ...>"): an id (any element) or name (<a>) attribute
 * becomes an explicit anchor. Returns the end of the tag. */
static uint32_t scan_tag(struct md *m, uint32_t a, uint32_t b)
{
    uint32_t i = a + 1;
    uint32_t name_start = i;
    while (i < b && ((m->src[i] >= 'a' && m->src[i] <= 'z') || (m->src[i] >= 'A' && m->src[i] <= 'Z') ||
                     (m->src[i] >= '0' && m->src[i] <= '9') || m->src[i] == '-'))
        i++;
    int is_a = ascii_ieq(m->src + name_start, i - name_start, "a");
    while (i < b && m->src[i] != '>') {
        while (i < b && (is_space(m->src[i]) || m->src[i] == '/'))
            i++;
        uint32_t an = i;
        while (i < b && !is_space(m->src[i]) && m->src[i] != '=' && m->src[i] != '>' &&
               m->src[i] != '/')
            i++;
        uint32_t an_end = i;
        if (an_end == an) {
            if (i < b && m->src[i] != '>')
                i++;
            continue;
        }
        while (i < b && is_space(m->src[i]))
            i++;
        if (i >= b || m->src[i] != '=')
            continue;
        i++;
        while (i < b && is_space(m->src[i]))
            i++;
        uint32_t vs, ve;
        if (i < b && (m->src[i] == '"' || m->src[i] == '\'')) {
            char q = m->src[i++];
            vs = i;
            while (i < b && m->src[i] != q)
                i++;
            ve = i;
            if (i < b)
                i++;
        } else {
            vs = i;
            while (i < b && !is_space(m->src[i]) && m->src[i] != '>')
                i++;
            ve = i;
        }
        int wanted = ascii_ieq(m->src + an, an_end - an, "id") ||
                     (is_a && ascii_ieq(m->src + an, an_end - an, "name"));
        const char *v = m->src + vs;
        size_t vn = ve - vs;
        trim(&v, &vn);
        if (wanted && vn)
            push_pending(m, PEND_ANCHOR, QMS_ANCHOR_EXPLICIT, sdup(m, v, vn), "", a, 0);
    }
    return i < b ? i + 1 : b;
}

static uint32_t find_str(const char *s, uint32_t a, uint32_t b, const char *lit)
{
    size_t n = strlen(lit);
    for (uint32_t i = a; i + n <= b; i++) {
        const char *p = memchr(s + i, lit[0], b - i);
        if (!p)
            return b;
        i = (uint32_t)(p - s);
        if (i + n <= b && memcmp(s + i, lit, n) == 0)
            return i;
    }
    return b;
}

/* An HTML comment starting at a ("<!--"), ending before b at the latest. Its text is kept
 * without the markers; a comment never closed keeps its "<!--", so that nothing reads it as
 * a complete comment (an inline suppression must be terminated to count). */
static uint32_t scan_comment(struct md *m, uint32_t a, uint32_t b, const struct span *skip,
                             size_t n_skip)
{
    uint32_t body = a + 4;
    uint32_t close = find_str(m->src, body, b, "-->");
    qms_buf_reset(&m->tmp2);
    copy_verbatim(m, &m->tmp2, body, close, skip, n_skip);
    const char *t = buf_str(&m->tmp2);
    size_t n = m->tmp2.len;
    trim(&t, &n);
    if (close >= b) {
        qms_buf_reset(&m->tmp);
        if (qms_buf_append(&m->tmp, "<!-- ", 5) || qms_buf_append(&m->tmp, t, n)) {
            fail(m, QMS_ENOMEM);
            return b;
        }
        t = buf_str(&m->tmp);
        n = m->tmp.len;
    }
    push_pending(m, PEND_COMMENT, 0, sdup(m, t, n), "", a, 0);
    return close < b ? close + 3 : b;
}

/* Comments and anchors in raw HTML (an HTML block or one inline tag). */
static void scan_html(struct md *m, uint32_t a, uint32_t b, const struct span *skip, size_t n_skip)
{
    uint32_t i = a;
    while (i < b && !m->rc) {
        const char *p = memchr(m->src + i, '<', b - i);
        if (!p)
            return;
        i = (uint32_t)(p - m->src);
        if (b - i >= 4 && memcmp(p, "<!--", 4) == 0) {
            i = scan_comment(m, i, b, skip, n_skip);
        } else if (i + 1 < b && ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z'))) {
            i = scan_tag(m, i, b);
        } else {
            i++;
        }
    }
}

/* ---- inline content ---- */

static void render(struct md *m, TSNode n, uint32_t depth);

static void render_children(struct md *m, TSNode n, uint32_t depth, int skip_delims)
{
    uint32_t pos = ts_node_start_byte(n);
    uint32_t end = ts_node_end_byte(n);
    TSTreeCursor cur = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cur)) {
        do {
            TSNode c = ts_tree_cursor_current_node(&cur);
            uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
            if (cs > pos)
                out_raw(m, pos, cs);
            enum nk k = kind_of(c);
            if (k == NK_ANON)
                out_raw(m, cs, ce);
            else if (!(skip_delims && k == NK_EMPHASIS_DELIM))
                render(m, c, depth + 1);
            if (ce > pos)
                pos = ce;
        } while (ts_tree_cursor_goto_next_sibling(&cur) && !m->rc);
    }
    ts_tree_cursor_delete(&cur);
    if (end > pos)
        out_raw(m, pos, end);
}

/* The first named child of kind k. */
static TSNode child_of_kind(TSNode n, enum nk k, int *found)
{
    *found = 0;
    TSNode none = {0};
    uint32_t cn = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < cn; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (kind_of(c) == k) {
            *found = 1;
            return c;
        }
    }
    return none;
}

/* Renders n into m->out and returns (a copy of) the text it added, trimmed. */
static const char *render_text_of(struct md *m, TSNode n, uint32_t depth)
{
    size_t before = m->out.len;
    render(m, n, depth + 1);
    /* a line break inside may have trimmed blanks written before: never count back past it
       (len underflowed, and "[ \n" made a whole document "out of memory") */
    const char *t = m->out.data && m->out.len > before ? m->out.data + before : "";
    size_t len = m->out.len > before ? m->out.len - before : 0;
    trim(&t, &len);
    return sdup(m, t, len);
}

static uint32_t label_end(const struct md *m, TSNode label, uint32_t *start)
{
    uint32_t a = ts_node_start_byte(label), b = ts_node_end_byte(label);
    if (b > a && m->src[a] == '[')
        a++;
    if (b > a && m->src[b - 1] == ']')
        b--;
    *start = a;
    return b;
}

static void render_link(struct md *m, TSNode n, enum nk k, uint32_t depth)
{
    int has_text, has_dest, has_label;
    TSNode text = child_of_kind(n, k == NK_IMAGE ? NK_IMAGE_DESC : NK_LINK_TEXT, &has_text);
    TSNode dest = child_of_kind(n, NK_LINK_DEST, &has_dest);
    TSNode label = child_of_kind(n, NK_LINK_LABEL, &has_label);
    uint32_t off = ts_node_start_byte(n);
    size_t before = m->out.len;
    const char *shown = has_text ? render_text_of(m, text, depth) : sdup(m, "", 0);
    if (!shown)
        return;

    const char *target = NULL;
    int link_kind = k == NK_IMAGE ? QMS_LINK_IMAGE : QMS_LINK_HYPERLINK;
    int unresolved = 0;
    int inline_form = k == NK_INLINE_LINK ||
                      (k == NK_IMAGE && (has_dest || m->src[ts_node_end_byte(n) - 1] == ')'));
    if (inline_form)
        target = has_dest ? destination(m, ts_node_start_byte(dest), ts_node_end_byte(dest))
                          : sdup(m, "", 0);
    if (!target) {
        /* reference forms: the label, or the link text itself */
        uint32_t la, lb;
        if (has_label)
            lb = label_end(m, label, &la);
        else if (has_text) {
            la = ts_node_start_byte(text);
            lb = ts_node_end_byte(text);
        } else {
            la = lb = off;
        }
        const struct refdef *d = find_def(m, m->src + la, lb - la);
        if (k != NK_IMAGE)
            link_kind = QMS_LINK_REFERENCE;
        if (d) {
            target = d->destination;
        } else if (k == NK_SHORTCUT || (k == NK_IMAGE && !has_label)) {
            /* "[text]" without a definition is plain text in CommonMark */
            if (m->out.len > before) {
                m->out.len = before;
                m->out.data[before] = '\0';
            }
            while (m->n_keep && m->keep[m->n_keep - 1].start >= before)
                m->n_keep--;
            if (k == NK_IMAGE)
                out_raw(m, off, off + 1);
            out_bytes(m, "[", 1);
            if (has_text)
                render(m, text, depth + 1);
            out_bytes(m, "]", 1);
            return;
        } else {
            target = sdup(m, m->src + la, lb - la);
            unresolved = 1;
        }
    }
    push_pending(m, PEND_LINK, link_kind, target, shown, off, unresolved);
}

static void render_code_span(struct md *m, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    uint32_t cn = ts_node_child_count(n);
    if (cn >= 1) {
        TSNode first = ts_node_child(n, 0);
        if (kind_of(first) == NK_CODE_SPAN_DELIM)
            a = ts_node_end_byte(first);
    }
    if (cn >= 2) {
        TSNode last = ts_node_child(n, cn - 1);
        if (kind_of(last) == NK_CODE_SPAN_DELIM)
            b = ts_node_start_byte(last);
    }
    if (b < a)
        b = a;
    qms_buf_reset(&m->tmp);
    copy_verbatim(m, &m->tmp, a, b, m->excl, m->n_excl);
    for (size_t i = 0; i < m->tmp.len; i++)
        if (m->tmp.data[i] == '\n')
            m->tmp.data[i] = ' ';
    const char *t = buf_str(&m->tmp);
    size_t len = m->tmp.len;
    if (len >= 2 && t[0] == ' ' && t[len - 1] == ' ') {
        size_t s = 0;
        while (s < len && t[s] == ' ')
            s++;
        if (s < len) {
            t++;
            len -= 2;
        }
    }
    if (grow((void **)&m->keep, &m->cap_keep, m->n_keep + 1, sizeof *m->keep)) {
        fail(m, QMS_ENOMEM);
        return;
    }
    m->keep[m->n_keep].start = (uint32_t)m->out.len;
    out_bytes(m, t, len);
    m->keep[m->n_keep++].end = (uint32_t)m->out.len;
}

static void render(struct md *m, TSNode n, uint32_t depth)
{
    if (m->rc)
        return;
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    enum nk k = kind_of(n);
    if (depth > m->max_depth) {
        out_raw(m, a, b);
        return;
    }
    switch (k) {
    case NK_CODE_SPAN:
        render_code_span(m, n);
        return;
    case NK_INLINE_LINK:
    case NK_FULL_REF:
    case NK_COLLAPSED_REF:
    case NK_SHORTCUT:
    case NK_IMAGE:
        render_link(m, n, k, depth);
        return;
    case NK_URI_AUTOLINK:
    case NK_EMAIL_AUTOLINK: {
        uint32_t s = a, e = b;
        if (e - s >= 2 && m->src[s] == '<' && m->src[e - 1] == '>') {
            s++;
            e--;
        }
        const char *t = sdup(m, m->src + s, e - s);
        const char *target = t;
        if (t && k == NK_EMAIL_AUTOLINK) {
            qms_buf_reset(&m->tmp);
            if (qms_buf_printf(&m->tmp, "mailto:%s", t) == 0)
                target = sdup(m, m->tmp.data, m->tmp.len);
        }
        push_pending(m, PEND_LINK, QMS_LINK_AUTOLINK, target, t, a, 0);
        out_bytes(m, m->src + s, e - s);
        return;
    }
    case NK_HTML_TAG:
        scan_html(m, a, b, m->excl, m->n_excl);
        return;
    case NK_BACKSLASH_ESCAPE:
        if (b - a == 2 && m->src[a + 1] != '\n')
            out_bytes(m, m->src + a + 1, 1);
        else if (b - a >= 2)
            out_bytes(m, "\n", 1);
        return;
    case NK_ENTITY: {
        qms_buf_reset(&m->tmp);
        if (qms_md_entity(&m->tmp, m->src + a, b - a))
            out_bytes(m, m->tmp.data, m->tmp.len);
        else
            out_raw(m, a, b);
        return;
    }
    case NK_HARD_BREAK:
        while (m->out.len && (m->out.data[m->out.len - 1] == ' ' || m->out.data[m->out.len - 1] == '\t'))
            m->out.len--;
        out_bytes(m, "\n", 1);
        m->at_line_start = 1;
        return;
    case NK_EMPHASIS_DELIM:
    case NK_CODE_SPAN_DELIM:
        return;
    case NK_ANON:
    case NK_LATEX:
        out_raw(m, a, b);
        return;
    default:
        render_children(m, n, depth, 1);
        return;
    }
}

/* Sorted byte ranges of `n`'s subtree where "[[" is not a wikilink (code, HTML, URLs); with
 * `links`, also every link and image (no bare URL is looked for in them). */
static void collect_opaque(struct md *m, TSNode root, int links, struct span **out, size_t *n_out,
                           size_t *cap)
{
    TSTreeCursor cur = ts_tree_cursor_new(root);
    uint32_t depth = 0;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        enum nk k = kind_of(n);
        int opaque = k == NK_CODE_SPAN || k == NK_HTML_TAG || k == NK_URI_AUTOLINK ||
                     k == NK_EMAIL_AUTOLINK || k == NK_LINK_DEST || k == NK_LATEX ||
                     (links && (k == NK_INLINE_LINK || k == NK_FULL_REF ||
                                k == NK_COLLAPSED_REF || k == NK_IMAGE));
        if (opaque) {
            if (grow((void **)out, cap, *n_out + 1, sizeof **out)) {
                fail(m, QMS_ENOMEM);
                break;
            }
            (*out)[*n_out].start = ts_node_start_byte(n);
            (*out)[(*n_out)++].end = ts_node_end_byte(n);
        }
        if (!opaque && k != NK_ANON && depth < m->max_depth && ts_tree_cursor_goto_first_child(&cur)) {
            depth++;
            continue;
        }
        int done = 0;
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!depth || !ts_tree_cursor_goto_parent(&cur)) {
                done = 1;
                break;
            }
            depth--;
        }
        if (done)
            break;
    }
    ts_tree_cursor_delete(&cur);
}

/* Obsidian wikilinks [[Target]], [[Target|text]], [[Target#Heading]] in [a, b). */
static void find_wikilinks(struct md *m, TSNode root, uint32_t a, uint32_t b)
{
    struct span *opaque = NULL;
    size_t n_opaque = 0, cap_opaque = 0;
    collect_opaque(m, root, 0, &opaque, &n_opaque, &cap_opaque);
    size_t k = 0, x = span_after(m->excl, m->n_excl, a);
    uint32_t i = a;
    while (i + 1 < b && !m->rc) {
        const char *p = memchr(m->src + i, '[', b - i - 1);
        if (!p)
            break;
        i = (uint32_t)(p - m->src);
        while (k < n_opaque && opaque[k].end <= i)
            k++;
        while (x < m->n_excl && m->excl[x].end <= i)
            x++;
        if ((k < n_opaque && opaque[k].start <= i) || (x < m->n_excl && m->excl[x].start <= i) ||
            m->src[i + 1] != '[' || (i > a && m->src[i - 1] == '\\')) {
            i++;
            continue;
        }
        uint32_t s = i + 2, j = s;
        while (j + 1 < b && m->src[j] != ']' && m->src[j] != '[' && m->src[j] != '\n')
            j++;
        if (j + 1 >= b || m->src[j] != ']' || m->src[j + 1] != ']' || j == s) {
            i += 2;
            continue;
        }
        uint32_t bar = s;
        while (bar < j && m->src[bar] != '|')
            bar++;
        const char *target = m->src + s, *text;
        size_t tn = bar - s, xn;
        if (bar < j) {
            text = m->src + bar + 1;
            xn = j - bar - 1;
        } else {
            text = target;
            xn = tn;
        }
        trim(&target, &tn);
        trim(&text, &xn);
        if (tn) {
            push_pending(m, PEND_LINK, QMS_LINK_WIKILINK, sdup(m, target, tn), sdup(m, text, xn), i,
                         0);
            if (grow((void **)&m->wiki, &m->cap_wiki, m->n_wiki + 1, sizeof *m->wiki)) {
                fail(m, QMS_ENOMEM);
                break;
            }
            m->wiki[m->n_wiki].start = i;
            m->wiki[m->n_wiki++].end = j + 2;
        }
        i = j + 2;
    }
    free(opaque);
}

static int ascii_prefix_ieq(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != lit[i])
            return 0;
    }
    return 1;
}

/* The end of a GFM extended autolink starting at src[i] ("https://", "http://", "www."), or
 * i when there is none: a domain with a dot, then anything up to white space or '<', minus
 * trailing punctuation and unbalanced ')'. */
static uint32_t bare_url_end(const struct md *m, uint32_t i, uint32_t stop)
{
    const char *s = m->src;
    uint32_t d;
    if (ascii_prefix_ieq(s + i, stop - i, "https://"))
        d = i + 8;
    else if (ascii_prefix_ieq(s + i, stop - i, "http://"))
        d = i + 7;
    else if (ascii_prefix_ieq(s + i, stop - i, "www."))
        d = i + 4;
    else
        return i;
    uint32_t j = d;
    int dots = s[d - 1] == '.';
    while (j < stop && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                        (s[j] >= '0' && s[j] <= '9') || s[j] == '-' || s[j] == '_' ||
                        s[j] == '.' || (unsigned char)s[j] >= 0x80)) {
        dots += s[j] == '.';
        j++;
    }
    if (j == d || !dots)
        return i;
    while (j < stop && !is_space(s[j]) && s[j] != '<')
        j++;
    /* parentheses counted once: recounting per trailing ')' made "http://a.b)))...)" quadratic */
    uint32_t open = 0, close = 0;
    for (uint32_t k = i; k < j; k++) {
        open += s[k] == '(';
        close += s[k] == ')';
    }
    for (;;) {
        char c = s[j - 1];
        if (j > d && strchr("?!.,:*_~'\";", c)) {
            j--;
            continue;
        }
        if (j > d && c == ')' && close > open) {
            close--;
            j--;
            continue;
        }
        break;
    }
    return j > d ? j : i;
}

/* Bare URLs in text (not in code, HTML, links or wikilinks) in [a, b). */
static void find_bare_urls(struct md *m, TSNode root, uint32_t a, uint32_t b, int have_root)
{
    struct span *opaque = NULL;
    size_t n_opaque = 0, cap_opaque = 0;
    if (have_root)
        collect_opaque(m, root, 1, &opaque, &n_opaque, &cap_opaque);
    size_t k = 0, x = span_after(m->excl, m->n_excl, a), w = span_after(m->wiki, m->n_wiki, a);
    for (uint32_t i = a; i < b && !m->rc; i++) {
        char c = m->src[i];
        if (c != 'h' && c != 'H' && c != 'w' && c != 'W')
            continue;
        if (i > a) {
            char p = m->src[i - 1];
            if (!is_space(p) && !strchr("*_~(", p))
                continue;
        }
        while (k < n_opaque && opaque[k].end <= i)
            k++;
        while (x < m->n_excl && m->excl[x].end <= i)
            x++;
        while (w < m->n_wiki && m->wiki[w].end <= i)
            w++;
        if ((k < n_opaque && opaque[k].start <= i) || (x < m->n_excl && m->excl[x].start <= i) ||
            (w < m->n_wiki && m->wiki[w].start <= i))
            continue;
        uint32_t stop = b;
        if (k < n_opaque && opaque[k].start < stop)
            stop = opaque[k].start;
        if (x < m->n_excl && m->excl[x].start < stop)
            stop = m->excl[x].start;
        uint32_t e = bare_url_end(m, i, stop);
        if (e == i)
            continue;
        const char *text = sdup(m, m->src + i, e - i);
        const char *target = text;
        if (text && (text[0] == 'w' || text[0] == 'W')) {
            qms_buf_reset(&m->tmp);
            if (qms_buf_printf(&m->tmp, "http://%s", text) == 0)
                target = sdup(m, m->tmp.data, m->tmp.len);
        }
        push_pending(m, PEND_LINK, QMS_LINK_AUTOLINK, target, text, i, 0);
        i = e - 1;
    }
    free(opaque);
}

/* In rendered text, "[[T|x]]" shows as "x" and "[[T]]" as "T" (outside code spans). */
static void rewrite_wikilinks(struct md *m)
{
    if (!m->n_wiki || !m->out.len)
        return;
    char *s = m->out.data;
    size_t n = m->out.len, w = 0, k = 0;
    for (size_t i = 0; i < n;) {
        while (k < m->n_keep && m->keep[k].end <= i)
            k++;
        int kept = k < m->n_keep && m->keep[k].start <= i;
        if (!kept && i + 1 < n && s[i] == '[' && s[i + 1] == '[') {
            size_t j = i + 2;
            while (j + 1 < n && s[j] != ']' && s[j] != '[' && s[j] != '\n')
                j++;
            if (j + 1 < n && s[j] == ']' && s[j + 1] == ']' && j > i + 2 &&
                !(k < m->n_keep && m->keep[k].start < j + 2)) {
                size_t bar = i + 2;
                while (bar < j && s[bar] != '|')
                    bar++;
                size_t from = bar < j ? bar + 1 : i + 2;
                memmove(s + w, s + from, j - from);
                w += j - from;
                i = j + 2;
                continue;
            }
        }
        s[w++] = s[i++];
    }
    m->out.len = w;
    s[w] = '\0';
}

/*
 * tree-sitter's inline grammar needs memory quadratic in the length of delimiter-heavy text
 * ("*a *a *a ..."): one parse covers at most INLINE_CHUNK bytes. Longer content is cut at a
 * line end, else at a space outside brackets and code, so ordinary paragraphs keep every link.
 */
#define INLINE_CHUNK 4096
/* Text with more delimiters than this in a full chunk ("*a *a *a ...", "[[a[[a") is cut into
 * quarter chunks: the grammar's cost per byte grows with the delimiters of its parse, and
 * such text has no links worth the time (4096: 11 us a byte; 1024: 4 us). */
#define INLINE_DENSE 512

static uint32_t chunk_end(const struct md *m, uint32_t from, uint32_t end)
{
    if (end - from <= INLINE_CHUNK)
        return end;
    uint32_t limit = from + INLINE_CHUNK;
    uint32_t delims = 0;
    for (uint32_t i = from; i < limit; i++) {
        char c = m->src[i];
        delims += c == '*' || c == '_' || c == '[' || c == ']' || c == '`' || c == '<' || c == '~';
    }
    if (delims > INLINE_DENSE)
        limit = from + INLINE_CHUNK / 4;
    uint32_t last_nl = 0, last_free_space = 0, last_space = 0;
    int depth = 0, in_code = 0;
    for (uint32_t i = from; i < limit; i++) {
        char c = m->src[i];
        if (c == '`')
            in_code = !in_code;
        else if (!in_code && (c == '[' || c == '('))
            depth++;
        else if (!in_code && (c == ']' || c == ')') && depth > 0)
            depth--;
        else if (c == '\n' && i > from)
            last_nl = i + 1;
        else if (c == ' ' && i > from) {
            last_space = i + 1;
            if (!depth && !in_code)
                last_free_space = i + 1;
        }
    }
    uint32_t quarter = (limit - from) / 4;
    if (last_nl > from + quarter)
        return last_nl;
    if (last_free_space > from + quarter)
        return last_free_space;
    if (last_space > from)
        return last_space;
    while (limit > from + 1 && ((unsigned char)m->src[limit] & 0xC0) == 0x80)
        limit--; /* never inside a UTF-8 sequence */
    return limit;
}

/*
 * Ordinary text: nothing in src[c0, c1) can start an inline construct of the grammar (escapes,
 * code spans, emphasis, strikethrough, links, images, HTML, autolinks, entities, LaTeX, hard
 * line breaks). Such text parses to a tree without named nodes, which renders as the text
 * itself: the parse is skipped. Continuations in the range are scanned too (conservative).
 */
static int plain_text(const struct md *m, uint32_t c0, uint32_t c1)
{
    const unsigned char *s = (const unsigned char *)m->src;
    for (uint32_t i = c0; i < c1; i++) {
        unsigned char c = s[i];
        switch (c) {
        case '\\': case '`': case '*': case '_': case '~': case '[': case ']': case '!':
        case '<': case '>': case '&': case '$':
            return 0;
        case '\n':
            if (i > c0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
                return 0; /* a hard line break, perhaps */
            break;
        default:
            if (c < 0x20 && c != '\t')
                return 0;
            break;
        }
    }
    return c1 > c0 && s[c1 - 1] != ' ' && s[c1 - 1] != '\t';
}

/* Parses and renders src[c0, c1) minus the continuations in m->excl. */
static void inline_parse_chunk(struct md *m, uint32_t c0, uint32_t c1, uint32_t *done);

static void inline_chunk(struct md *m, uint32_t c0, uint32_t c1, uint32_t *done)
{
    if (!plain_text(m, c0, c1)) {
        inline_parse_chunk(m, c0, c1, done);
        return;
    }
#ifdef QMS_MD_FASTCHECK /* -DQMS_MD_FASTCHECK: also parse, compare, report any difference */
    size_t o0 = m->out.len, p0 = m->n_pend;
    int ls0 = m->at_line_start;
    uint32_t d0 = *done;
#endif
    TSNode none;
    memset(&none, 0, sizeof none);
    find_bare_urls(m, none, c0, c1, 0);
    if (c1 > *done)
        out_raw(m, *done, c1);
    if (c1 > *done)
        *done = c1;
#ifdef QMS_MD_FASTCHECK
    size_t o1 = m->out.len, p1 = m->n_pend;
    int ls1 = m->at_line_start;
    char *fast = malloc(o1 - o0 + 1);
    if (fast)
        memcpy(fast, m->out.data + o0, o1 - o0);
    m->out.len = o0;
    m->n_pend = p0;
    m->at_line_start = ls0;
    *done = d0;
    inline_parse_chunk(m, c0, c1, done);
    if (!fast || m->out.len != o1 || memcmp(fast, m->out.data + o0, o1 - o0) || m->n_pend != p1 ||
        m->at_line_start != ls1 || *done != c1)
        fprintf(stderr, "FASTCHECK mismatch %s at %u..%u\n", m->path, c0, c1);
    free(fast);
#endif
}

static void inline_parse_chunk(struct md *m, uint32_t c0, uint32_t c1, uint32_t *done)
{
    size_t nr = 0, cap = 8;
    TSRange *ranges = malloc(cap * sizeof *ranges);
    if (!ranges) {
        fail(m, QMS_ENOMEM);
        return;
    }
    uint32_t pos = c0;
    size_t k = span_after(m->excl, m->n_excl, c0);
    for (;; k++) {
        uint32_t stop = k < m->n_excl && m->excl[k].start < c1 ? m->excl[k].start : c1;
        if (stop > pos) {
            if (nr == cap) {
                TSRange *nrg = realloc(ranges, 2 * cap * sizeof *ranges);
                if (!nrg) {
                    free(ranges);
                    fail(m, QMS_ENOMEM);
                    return;
                }
                ranges = nrg;
                cap *= 2;
            }
            ranges[nr].start_byte = pos;
            ranges[nr].end_byte = stop;
            ranges[nr].start_point = point_at(m, pos);
            ranges[nr].end_point = point_at(m, stop);
            nr++;
        }
        if (stop >= c1 || k >= m->n_excl)
            break;
        if (m->excl[k].end > pos)
            pos = m->excl[k].end;
        if (pos >= c1)
            break;
    }
    TSTree *tree = NULL;
    if (nr && ts_parser_set_included_ranges(m->inline_parser, ranges, (uint32_t)nr))
        tree = ts_parser_parse_string(m->inline_parser, NULL, m->src, m->len);
    free(ranges);
    if (!tree) {
        if (c1 > *done)
            out_raw(m, *done, c1); /* no inline structure: the text as written */
        *done = c1;
        return;
    }
    TSNode root = ts_tree_root_node(tree);
    find_wikilinks(m, root, c0, c1);
    find_bare_urls(m, root, c0, c1, 1);
    uint32_t rs = ts_node_start_byte(root), re = ts_node_end_byte(root);
    if (rs > *done)
        out_raw(m, *done, rs < c1 ? rs : c1);
    render(m, root, 0);
    *done = re > c1 ? re : c1;
    if (re < c1 && re >= c0)
        out_raw(m, re, c1);
    ts_tree_delete(tree);
}

/* Starts rendering an inline range: output, continuations and wikilinks reset. */
static void inline_begin(struct md *m)
{
    qms_buf_reset(&m->out);
    m->at_line_start = 0;
    m->n_excl = m->n_wiki = m->n_keep = 0;
}

static void add_excl(struct md *m, uint32_t start, uint32_t end)
{
    if (grow((void **)&m->excl, &m->cap_excl, m->n_excl + 1, sizeof *m->excl)) {
        fail(m, QMS_ENOMEM);
        return;
    }
    m->excl[m->n_excl].start = start;
    m->excl[m->n_excl++].end = end;
}

/* Renders src[a, end) minus the continuations in m->excl, chunk by chunk. */
static void inline_run(struct md *m, uint32_t a, uint32_t end)
{
    uint32_t done = a;
    for (uint32_t c0 = a; c0 < end && !m->rc;) {
        uint32_t c1 = chunk_end(m, c0, end);
        inline_chunk(m, c0, c1, &done);
        c0 = c1;
    }
    rewrite_wikilinks(m);
}

/*
 * Parses the inline content of `n` in [n.start, end) minus its named children (block
 * continuations) and renders it into m->out (reset first). Links, comments and anchors it
 * holds go to the pending list.
 */
static void inline_text(struct md *m, TSNode n, uint32_t end)
{
    inline_begin(m);
    uint32_t a = ts_node_start_byte(n);
    if (end > ts_node_end_byte(n))
        end = ts_node_end_byte(n);
    if (end <= a || m->rc)
        return;
    TSTreeCursor cur = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cur)) {
        do {
            TSNode c = ts_tree_cursor_current_node(&cur);
            if (!ts_node_is_named(c))
                continue;
            uint32_t cs = ts_node_start_byte(c), ce = ts_node_end_byte(c);
            if (ce <= cs || cs >= end)
                continue;
            add_excl(m, cs, ce);
        } while (!m->rc && ts_tree_cursor_goto_next_sibling(&cur));
    }
    ts_tree_cursor_delete(&cur);
    if (!m->rc)
        inline_run(m, a, end);
}

/*
 * Inline content as either reader sees it: a node of the block grammar (its named children
 * are continuations), or a range of the block scanner with its continuations.
 */
struct isrc {
    const TSNode *node;
    uint32_t a, b;
    const struct span *excl; /* sorted, inside [a, b) */
    size_t n_excl;
};

static struct isrc isrc_node(const TSNode *n)
{
    struct isrc s = {n, ts_node_start_byte(*n), ts_node_end_byte(*n), NULL, 0};
    return s;
}

/* inline_text() over [s.a, end). */
static void inline_of(struct md *m, const struct isrc *s, uint32_t end)
{
    if (s->node) {
        inline_text(m, *s->node, end);
        return;
    }
    inline_begin(m);
    if (end > s->b)
        end = s->b;
    if (end <= s->a || m->rc)
        return;
    for (size_t i = 0; i < s->n_excl && !m->rc; i++)
        if (s->excl[i].end > s->excl[i].start && s->excl[i].start < end)
            add_excl(m, s->excl[i].start, s->excl[i].end);
    if (!m->rc)
        inline_run(m, s->a, end);
}

/* The rendered text, trimmed. */
static const char *out_trimmed(struct md *m, size_t *len)
{
    const char *t = buf_str(&m->out);
    size_t n = m->out.len;
    trim(&t, &n);
    *len = n;
    return t;
}

/* ---- blocks ---- */

static void add_block(struct md *m, enum qms_block_kind kind, uint32_t level, const char *text,
                      size_t len, uint32_t off, uint32_t flags)
{
    if (m->rc)
        return;
    struct qms_block *blk = qms_docb_add_block(&m->b, kind, level, text, len, loc_at(m, off));
    if (!blk) {
        fail(m, QMS_ENOMEM);
        return;
    }
    blk->flags |= flags;
}

static void heading_anchor(struct md *m, const char *text, size_t len, uint32_t off)
{
    if (qms_md_slug(&m->tmp, text, len)) {
        fail(m, QMS_ENOMEM);
        return;
    }
    /* github-slugger: a taken slug gets -1, -2 ... from its own counter, skipping taken ones */
    if (2 * (m->n_slugs + 2) > m->n_slug_slots) {
        size_t ns = m->n_slug_slots ? m->n_slug_slots * 2 : 64;
        struct slug_slot *nt = calloc(ns, sizeof *nt);
        if (!nt) {
            fail(m, QMS_ENOMEM);
            return;
        }
        for (size_t i = 0; i < m->n_slug_slots; i++) {
            if (!m->slugs[i].slug)
                continue;
            size_t j = hash_str(m->slugs[i].slug) & (ns - 1);
            while (nt[j].slug)
                j = (j + 1) & (ns - 1);
            nt[j] = m->slugs[i];
        }
        free(m->slugs);
        m->slugs = nt;
        m->n_slug_slots = ns;
    }
    const char *base = sdup(m, buf_str(&m->tmp), m->tmp.len);
    if (!base)
        return;
    size_t mask = m->n_slug_slots - 1;
    size_t bi = hash_str(base) & mask;
    while (m->slugs[bi].slug && strcmp(m->slugs[bi].slug, base) != 0)
        bi = (bi + 1) & mask;
    const char *slug = base;
    if (m->slugs[bi].slug) {
        for (;;) {
            uint32_t next = ++m->slugs[bi].count;
            qms_buf_reset(&m->tmp);
            if (qms_buf_printf(&m->tmp, "%s-%u", base, next)) {
                fail(m, QMS_ENOMEM);
                return;
            }
            size_t j = hash_str(m->tmp.data) & mask;
            while (m->slugs[j].slug && strcmp(m->slugs[j].slug, m->tmp.data) != 0)
                j = (j + 1) & mask;
            if (!m->slugs[j].slug) {
                slug = sdup(m, m->tmp.data, m->tmp.len);
                if (!slug)
                    return;
                m->slugs[j].slug = slug;
                m->n_slugs++;
                break;
            }
        }
    } else {
        m->slugs[bi].slug = base;
        m->n_slugs++;
    }
    if (*slug && !qms_docb_add_anchor(&m->b, QMS_ANCHOR_HEADING, slug, loc_at(m, off)))
        fail(m, QMS_ENOMEM);
}

/* pandoc / kramdown explicit id at the end of a heading, "Scope {#scope}": returns the end of
 * the text before it (or e when there is none). */
static uint32_t explicit_id(struct md *m, uint32_t a, uint32_t e, uint32_t *id_start,
                            uint32_t *id_end)
{
    while (e > a && (m->src[e - 1] == ' ' || m->src[e - 1] == '\t'))
        e--;
    if (e - a < 4 || m->src[e - 1] != '}')
        return e;
    uint32_t o = e - 1;
    while (o > a && m->src[o - 1] != '{' && m->src[o - 1] != '}' && m->src[o - 1] != ' ')
        o--;
    if (o > a && m->src[o - 1] == '{' && m->src[o] == '#' && e - 1 > o + 1) {
        *id_start = o + 1;
        *id_end = e - 1;
        e = o - 1;
        while (e > a && (m->src[e - 1] == ' ' || m->src[e - 1] == '\t'))
            e--;
    }
    return e;
}

/* A heading's text ends before a closing run of '#' and before a "{#id}" attribute. */
static uint32_t heading_content_end(struct md *m, uint32_t a, uint32_t b, uint32_t *id_start,
                                    uint32_t *id_end)
{
    *id_start = *id_end = 0;
    uint32_t e = b;
    while (e > a && (m->src[e - 1] == ' ' || m->src[e - 1] == '\t'))
        e--;
    uint32_t h = e;
    while (h > a && m->src[h - 1] == '#')
        h--;
    if (h < e && (h == a || m->src[h - 1] == ' ' || m->src[h - 1] == '\t')) {
        e = h;
        while (e > a && (m->src[e - 1] == ' ' || m->src[e - 1] == '\t'))
            e--;
    }
    return explicit_id(m, a, e, id_start, id_end);
}

/* A heading: level 1-6, setext or ATX, its inline content (NULL when empty) at `off`. */
static void heading_emit(struct md *m, uint32_t off, uint32_t level, int setext,
                         const struct isrc *inl)
{
    uint32_t id_start = 0, id_end = 0;
    if (inl) {
        uint32_t e = setext ? explicit_id(m, inl->a, inl->b, &id_start, &id_end)
                            : heading_content_end(m, inl->a, inl->b, &id_start, &id_end);
        inline_of(m, inl, e);
    } else {
        qms_buf_reset(&m->out);
    }
    size_t len;
    const char *text = out_trimmed(m, &len);
    add_block(m, QMS_BLOCK_HEADING, level, text, len, off, setext ? QMS_BLOCK_SETEXT : 0);
    heading_anchor(m, text, len, off);
    if (id_end > id_start && !m->rc &&
        !qms_docb_add_anchor(&m->b, QMS_ANCHOR_EXPLICIT,
                             sdup(m, m->src + id_start, id_end - id_start), loc_at(m, off)))
        fail(m, QMS_ENOMEM);
    flush_pending(m);
}

static void heading(struct md *m, TSNode n, int setext)
{
    uint32_t level = 1;
    int has_inline = 0;
    TSNode inl = {0};
    if (setext) {
        int has_para;
        TSNode para = child_of_kind(n, NK_PARAGRAPH, &has_para);
        if (has_para)
            inl = child_of_kind(para, NK_INLINE, &has_inline);
        int h2;
        child_of_kind(n, NK_SETEXT_H2, &h2);
        level = h2 ? 2 : 1;
    } else {
        TSNode marker = ts_node_named_child(n, 0);
        const char *t = ts_node_type(marker);
        if (strncmp(t, "atx_h", 5) == 0 && t[5] >= '1' && t[5] <= '6')
            level = (uint32_t)(t[5] - '0');
        inl = child_of_kind(n, NK_INLINE, &has_inline);
    }
    if (!has_inline) {
        heading_emit(m, ts_node_start_byte(n), level, setext, NULL);
        return;
    }
    struct isrc src = isrc_node(&inl);
    heading_emit(m, ts_node_start_byte(n), level, setext, &src);
}

/* A paragraph (or the paragraph of a list item or quote) from its inline content. */
static void paragraph_emit(struct md *m, const struct isrc *inl, enum qms_block_kind kind,
                           uint32_t level)
{
    inline_of(m, inl, inl->b);
    size_t len;
    const char *text = out_trimmed(m, &len);
    if (len)
        add_block(m, kind, level, text, len, inl->a, 0);
    flush_pending(m);
}

static void paragraph(struct md *m, TSNode n, enum qms_block_kind kind, uint32_t level)
{
    int has_inline;
    TSNode inl = child_of_kind(n, NK_INLINE, &has_inline);
    if (!has_inline)
        return;
    struct isrc src = isrc_node(&inl);
    paragraph_emit(m, &src, kind, level);
}

/* Named block_continuation children of n, sorted, into m->excl. */
static void continuations(struct md *m, TSNode n)
{
    m->n_excl = 0;
    TSTreeCursor cur = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cur)) {
        do {
            TSNode c = ts_tree_cursor_current_node(&cur);
            if (kind_of(c) != NK_BLOCK_CONTINUATION)
                continue;
            if (grow((void **)&m->excl, &m->cap_excl, m->n_excl + 1, sizeof *m->excl)) {
                fail(m, QMS_ENOMEM);
                break;
            }
            m->excl[m->n_excl].start = ts_node_start_byte(c);
            m->excl[m->n_excl++].end = ts_node_end_byte(c);
        } while (ts_tree_cursor_goto_next_sibling(&cur));
    }
    ts_tree_cursor_delete(&cur);
}

/* A code block whose text is in m->out: trailing blank lines dropped. */
static void code_finish(struct md *m, uint32_t off)
{
    size_t len = m->out.len;
    while (len && (m->out.data[len - 1] == '\n' || m->out.data[len - 1] == ' '))
        len--;
    add_block(m, QMS_BLOCK_CODE, 0, buf_str(&m->out), len, off, 0);
}

static void code_block(struct md *m, TSNode n, int fenced)
{
    qms_buf_reset(&m->out);
    if (fenced) {
        int has;
        TSNode content = child_of_kind(n, NK_CODE_CONTENT, &has);
        if (has) {
            continuations(m, content);
            copy_verbatim(m, &m->out, ts_node_start_byte(content), ts_node_end_byte(content),
                          m->excl, m->n_excl);
        }
    } else {
        /* drop up to four columns of indentation per line */
        continuations(m, n);
        qms_buf_reset(&m->tmp);
        copy_verbatim(m, &m->tmp, ts_node_start_byte(n), ts_node_end_byte(n), m->excl, m->n_excl);
        const char *s = buf_str(&m->tmp);
        size_t len = m->tmp.len, i = 0;
        while (i < len && !m->rc) {
            size_t col = 0;
            while (i < len && col < 4 && (s[i] == ' ' || s[i] == '\t')) {
                col = s[i] == '\t' ? 4 : col + 1;
                i++;
            }
            size_t j = i;
            while (j < len && s[j] != '\n')
                j++;
            int rc = qms_buf_append(&m->out, s + i, j < len ? j - i + 1 : j - i);
            if (rc)
                fail(m, rc);
            i = j + 1;
        }
    }
    code_finish(m, ts_node_start_byte(n));
}

static void html_block(struct md *m, TSNode n)
{
    continuations(m, n);
    struct span *skip = NULL;
    size_t n_skip = m->n_excl;
    if (n_skip) {
        skip = malloc(n_skip * sizeof *skip);
        if (!skip) {
            fail(m, QMS_ENOMEM);
            return;
        }
        memcpy(skip, m->excl, n_skip * sizeof *skip);
    }
    scan_html(m, ts_node_start_byte(n), ts_node_end_byte(n), skip, n_skip);
    free(skip);
    flush_pending(m);
}

static void table_cell(struct md *m, int32_t table, uint32_t row, uint32_t col,
                       const struct isrc *cell, int header)
{
    uint32_t off = cell->a;
    inline_of(m, cell, cell->b);
    uint32_t first = off; /* the first character of the content, if any */
    while (first < cell->b && (m->src[first] == ' ' || m->src[first] == '\t'))
        first++;
    if (first < cell->b)
        off = first;
    size_t len;
    const char *text = out_trimmed(m, &len);
    struct qms_cell *c = qms_docb_table_add_cell(&m->b, table, row, col, text, len, loc_at(m, off));
    if (!c) {
        fail(m, QMS_ENOMEM);
        return;
    }
    c->header = header ? 1u : 0u;
    struct qms_block *blk = qms_docb_add_block(&m->b, QMS_BLOCK_TABLE_CELL, 0, text, len,
                                               loc_at(m, off));
    if (!blk) {
        fail(m, QMS_ENOMEM);
        return;
    }
    blk->table = table;
    blk->row = (int32_t)row;
    blk->col = (int32_t)col;
    blk->flags |= QMS_BLOCK_IN_TABLE;
    flush_pending(m);
}

/* A pipe table being read row by row, cell by cell and pipe by pipe. */
struct trow {
    int32_t table;
    uint32_t row, col, n_cols;
    int header, cell_since_pipe, seen_pipe;
};

static void trow_begin(struct trow *t, int header, uint32_t col)
{
    t->header = header;
    t->col = col;
    t->cell_since_pipe = t->seen_pipe = 0;
}

static void trow_cell(struct md *m, struct trow *t, const struct isrc *cell)
{
    /* GFM drops cells past the header's */
    if (t->header || t->col < t->n_cols)
        table_cell(m, t->table, t->row, t->col, cell, t->header);
    t->cell_since_pipe = 1;
}

/* Columns by pipes, so "||" is an empty cell. */
static void trow_pipe(struct trow *t)
{
    if (t->cell_since_pipe)
        t->col++;
    else if (t->seen_pipe)
        t->col++; /* "||": an empty cell */
    t->cell_since_pipe = 0;
    t->seen_pipe = 1;
}

static void trow_end(struct trow *t)
{
    if (t->cell_since_pipe)
        t->col++;
    if (t->header)
        t->n_cols = t->col;
    t->row++;
}

static void pipe_table(struct md *m, TSNode n)
{
    struct trow t;
    memset(&t, 0, sizeof t);
    t.table = qms_docb_table_begin(&m->b, -1, loc_at(m, ts_node_start_byte(n)));
    if (t.table < 0) {
        fail(m, t.table);
        return;
    }
    TSTreeCursor rows = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&rows)) {
        do {
            TSNode r = ts_tree_cursor_current_node(&rows);
            enum nk k = kind_of(r);
            if (k != NK_TABLE_HEADER && k != NK_TABLE_ROW)
                continue;
            /* the grammar leaves the first pipe of a leading "||" outside the row */
            uint32_t rs = ts_node_start_byte(r), ls = rs;
            while (ls > 0 && m->src[ls - 1] != '\n')
                ls--;
            trow_begin(&t, k == NK_TABLE_HEADER, rs > ls && m->src[rs - 1] == '|' ? 1 : 0);
            TSTreeCursor cells = ts_tree_cursor_new(r);
            if (ts_tree_cursor_goto_first_child(&cells)) {
                do {
                    TSNode c = ts_tree_cursor_current_node(&cells);
                    enum nk ck = kind_of(c);
                    if (ck == NK_TABLE_CELL) {
                        struct isrc cell = isrc_node(&c);
                        trow_cell(m, &t, &cell);
                    } else if (ck == NK_ANON && strcmp(ts_node_type(c), "|") == 0) {
                        trow_pipe(&t);
                    }
                } while (ts_tree_cursor_goto_next_sibling(&cells) && !m->rc);
            }
            ts_tree_cursor_delete(&cells);
            trow_end(&t);
        } while (ts_tree_cursor_goto_next_sibling(&rows) && !m->rc);
    }
    ts_tree_cursor_delete(&rows);
    int rc = qms_docb_table_end(&m->b, t.table);
    if (rc)
        fail(m, rc);
}

/* ---- front matter ---- */

static const char *scalar_type(const char *v)
{
    size_t n = strlen(v);
    if (!n)
        return "string";
    if (!strcmp(v, "true") || !strcmp(v, "false") || !strcmp(v, "True") || !strcmp(v, "False") ||
        !strcmp(v, "yes") || !strcmp(v, "no"))
        return "bool";
    size_t i = (v[0] == '-' || v[0] == '+') ? 1 : 0, digits = 0, dots = 0;
    for (size_t k = i; k < n; k++) {
        if (v[k] >= '0' && v[k] <= '9')
            digits++;
        else if (v[k] == '.')
            dots++;
        else
            goto not_number;
    }
    if (digits && !dots)
        return "int";
    if (digits && dots == 1)
        return "float";
not_number:
    if (n == 10 && v[4] == '-' && v[7] == '-') {
        for (size_t k = 0; k < 10; k++)
            if (k != 4 && k != 7 && (v[k] < '0' || v[k] > '9'))
                return "string";
        return "date";
    }
    return "string";
}

static void flatten(struct md *m, const struct qms_node *node, struct qms_buf *name, uint32_t depth)
{
    if (!node || m->rc || depth > m->max_depth)
        return;
    struct qms_location loc = {0};
    loc.line = node->line;
    loc.column = node->column;
    if (node->kind == QMS_NODE_SCALAR) {
        const char *v = node->scalar ? node->scalar : "";
        if (!qms_docb_add_property(&m->b, QMS_PROP_FRONT_MATTER, buf_str(name), v, scalar_type(v), loc))
            fail(m, QMS_ENOMEM);
        return;
    }
    for (size_t i = 0; i < node->n_items && !m->rc; i++) {
        size_t keep = name->len;
        if (node->kind == QMS_NODE_MAP) {
            const char *key = node->keys && node->keys[i] ? node->keys[i] : "";
            int rc = (keep ? qms_buf_appendc(name, '.') : 0);
            if (!rc)
                rc = qms_buf_append(name, key, strlen(key));
            if (rc) {
                fail(m, rc);
                return;
            }
        }
        flatten(m, &node->items[i], name, depth + 1);
        name->len = keep;
        if (name->data)
            name->data[keep] = '\0';
    }
}

static void front_matter_error(struct md *m, const char *msg, uint32_t off)
{
    if (!qms_docb_add_property(&m->b, QMS_PROP_FRONT_MATTER, FRONT_MATTER_ERROR, msg, "string",
                               loc_at(m, off)))
        fail(m, QMS_ENOMEM);
}

/* The end of the line starting at i if it holds only `lit` and trailing blanks, else 0. */
static uint32_t marker_line(const char *s, uint32_t len, uint32_t i, const char *lit)
{
    size_t n = strlen(lit);
    if (len - i < n || memcmp(s + i, lit, n) != 0)
        return 0;
    uint32_t j = i + (uint32_t)n;
    while (j < len && (s[j] == ' ' || s[j] == '\t'))
        j++;
    if (j < len && s[j] != '\n')
        return 0;
    return j < len ? j + 1 : j;
}

/*
 * YAML front matter: "---" on the first line, closed by "---" or "..." on a line of its own.
 * Its values become properties; then its bytes (not its line ends) are blanked so the grammar
 * sees blank lines and every later position stays the file's.
 */
static void front_matter(struct md *m, char *src)
{
    uint32_t cs = marker_line(src, m->len, 0, "---");
    if (!cs)
        return;
    uint32_t i = cs, ce = 0, end = 0;
    while (i < m->len) {
        uint32_t e = marker_line(src, m->len, i, "---");
        if (!e)
            e = marker_line(src, m->len, i, "...");
        if (e) {
            ce = i;
            end = e;
            break;
        }
        const char *nl = memchr(src + i, '\n', m->len - i);
        if (!nl)
            return; /* never closed: a thematic break, not front matter */
        i = (uint32_t)(nl - src) + 1;
    }
    if (!end)
        return;
    m->b.doc->flags |= QMS_DOC_HAS_FRONT_MATTER;
    if (ce > cs) {
        struct qms_err yerr;
        yerr.msg[0] = '\0';
        const struct qms_node *root = NULL;
        int rc = qms_yaml_parse(&root, m->scratch, m->path, src + cs, ce - cs, 1, &yerr);
        if (rc == QMS_ENOMEM) {
            fail(m, rc);
            return;
        }
        if (rc) {
            front_matter_error(m, yerr.msg[0] ? yerr.msg : "malformed YAML front matter", 0);
        } else if (root && root->kind != QMS_NODE_MAP) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s:%u:%u: front matter is not a YAML mapping", m->path,
                     root->line, root->column);
            front_matter_error(m, msg, 0);
        } else if (root) {
            struct qms_buf name;
            qms_buf_init(&name, 1 << 16);
            flatten(m, root, &name, 0);
            qms_buf_free(&name);
        }
    }
    for (uint32_t k = 0; k < end; k++)
        if (src[k] != '\n')
            src[k] = ' ';
}

/* ---- the block walk ---- */

static void walk(struct md *m, TSNode n, enum qms_block_kind para_kind, uint32_t para_level,
                 uint32_t list_depth, uint32_t quote_depth, uint32_t depth)
{
    if (m->rc || depth > m->max_depth)
        return;
    enum nk k = kind_of(n);
    switch (k) {
    case NK_MINUS_METADATA: /* read (and blanked) before parsing */
    case NK_PLUS_METADATA:
    case NK_LINK_REF_DEF:
    case NK_ANON:
    case NK_BLOCK_CONTINUATION:
        return;
    case NK_ATX_HEADING:
        heading(m, n, 0);
        return;
    case NK_SETEXT_HEADING:
        heading(m, n, 1);
        return;
    case NK_PARAGRAPH:
        paragraph(m, n, para_kind, para_level);
        return;
    case NK_FENCED_CODE:
        code_block(m, n, 1);
        return;
    case NK_INDENTED_CODE:
        code_block(m, n, 0);
        return;
    case NK_HTML_BLOCK:
        html_block(m, n);
        return;
    case NK_PIPE_TABLE:
        pipe_table(m, n);
        return;
    case NK_LIST:
        list_depth++;
        break;
    case NK_LIST_ITEM:
        para_kind = QMS_BLOCK_LIST_ITEM;
        para_level = list_depth;
        break;
    case NK_BLOCK_QUOTE:
        quote_depth++;
        para_kind = QMS_BLOCK_QUOTE;
        para_level = quote_depth;
        break;
    default:
        break;
    }
    TSTreeCursor cur = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&cur)) {
        do {
            TSNode c = ts_tree_cursor_current_node(&cur);
            if (ts_node_is_named(c))
                walk(m, c, para_kind, para_level, list_depth, quote_depth, depth + 1);
        } while (ts_tree_cursor_goto_next_sibling(&cur) && !m->rc);
    }
    ts_tree_cursor_delete(&cur);
}

/* ---- the block scanner's path ---- */

static int fastpath_off;
static _Thread_local int last_read_fast;

void qms_md_set_fastpath(int on) { fastpath_off = !on; }

int qms_md_last_read_fast(void) { return last_read_fast; }

/* Builds the model from the block scanner's events, as walk() does from the grammar's tree. */
static void replay(struct md *m, const struct qms_mdb *ev, size_t n)
{
    struct trow t;
    memset(&t, 0, sizeof t);
    struct span *cont = NULL;
    size_t cap_cont = 0;
    for (size_t i = 0; i < n && !m->rc; i++) {
        const struct qms_mdb *e = &ev[i];
        struct isrc src = {NULL, e->a, e->b, NULL, 0};
        switch (e->kind) {
        case QMS_MDB_HEADING:
        case QMS_MDB_SETEXT:
            heading_emit(m, e->off, e->level, e->kind == QMS_MDB_SETEXT, e->b > e->a ? &src : NULL);
            break;
        case QMS_MDB_PARAGRAPH: {
            size_t n_cont = 0;
            while (i + 1 + n_cont < n && ev[i + 1 + n_cont].kind == QMS_MDB_CONT)
                n_cont++;
            if (grow((void **)&cont, &cap_cont, n_cont, sizeof *cont)) {
                fail(m, QMS_ENOMEM);
                break;
            }
            for (size_t k = 0; k < n_cont; k++) {
                cont[k].start = ev[i + 1 + k].a;
                cont[k].end = ev[i + 1 + k].b;
            }
            src.excl = cont;
            src.n_excl = n_cont;
            paragraph_emit(m, &src, e->level ? QMS_BLOCK_LIST_ITEM : QMS_BLOCK_PARAGRAPH, e->level);
            i += n_cont;
            break;
        }
        case QMS_MDB_CONT:
            break;
        case QMS_MDB_CODE:
            qms_buf_reset(&m->out);
            copy_verbatim(m, &m->out, e->a, e->b, NULL, 0);
            code_finish(m, e->off);
            break;
        case QMS_MDB_HTML:
            scan_html(m, e->a, e->b, NULL, 0);
            flush_pending(m);
            break;
        case QMS_MDB_TABLE:
            memset(&t, 0, sizeof t);
            t.table = qms_docb_table_begin(&m->b, -1, loc_at(m, e->off));
            if (t.table < 0)
                fail(m, t.table);
            break;
        case QMS_MDB_ROW:
            trow_begin(&t, e->level == 1, 0);
            break;
        case QMS_MDB_PIPE:
            trow_pipe(&t);
            break;
        case QMS_MDB_CELL:
            trow_cell(m, &t, &src);
            break;
        case QMS_MDB_ROW_END:
            trow_end(&t);
            break;
        case QMS_MDB_TABLE_END: {
            int rc = qms_docb_table_end(&m->b, t.table);
            if (rc)
                fail(m, rc);
            break;
        }
        }
    }
    free(cont);
}

/* Reads the document with the block scanner when it takes it: 1, else 0 (nothing done). */
static int read_fast(struct md *m)
{
    /* the grammar's walk stops at max_depth: shallow caps are left to it */
    if (fastpath_off || m->max_depth < 32 || getenv("QMSLINT_MD_NO_FASTPATH"))
        return 0;
    struct qms_mdb *ev = NULL;
    size_t n = 0;
    int rc = qms_md_scan_blocks(&ev, &n, m->src, m->len);
    if (rc < 0) {
        fail(m, rc);
        return 1;
    }
    if (rc == 0)
        return 0;
    replay(m, ev, n);
    free(ev);
    return 1;
}

/* ---- entry point ---- */

/* BOM removed, CRLF and lone CR to LF: line numbers and byte columns are those of the file. */
static char *normalise(const char *data, size_t len, size_t *out_len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    char *s = malloc(len + 2);
    if (!s)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\r') {
            s[w++] = '\n';
            if (i + 1 < len && data[i + 1] == '\n')
                i++;
        } else {
            s[w++] = data[i];
        }
    }
    if (w && s[w - 1] != '\n')
        s[w++] = '\n'; /* the grammar misreads some constructs on an unterminated last line */
    s[w] = '\0';
    *out_len = w;
    return s;
}

int qms_md_read(struct qms_doc **out, const char *path, const char *data, size_t len,
                const struct qms_limits *limits, struct qms_err *err)
{
    struct qms_limits defaults;
    if (!limits) {
        qms_limits_default(&defaults);
        limits = &defaults;
    }
    *out = NULL;
    if (!data && len)
        return qms_err_set(err, QMS_EINTERNAL, "no data");
    if (len > limits->max_file_size)
        return qms_err_set(err, QMS_ETOOBIG, "file is larger than %llu bytes",
                           (unsigned long long)limits->max_file_size);
    if (len >= UINT32_MAX - 1)
        return qms_err_set(err, QMS_ETOOBIG, "file is larger than 4 GiB");
    /* columns on line 1 do not count a byte-order mark, here as everywhere */
    size_t bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int rc = qms_md_check_text(data ? data + bom : "", len - bom, limits->max_line, err);
    if (rc)
        return rc;

    last_read_fast = 0;
    struct md m;
    memset(&m, 0, sizeof m);
    m.path = path ? path : "";
    m.limits = limits;
    m.err = err;
    m.max_depth = limits->max_depth ? limits->max_depth : 256;
    qms_buf_init(&m.out, 0);
    qms_buf_init(&m.tmp, 0);
    qms_buf_init(&m.tmp2, 0);
    size_t n = 0;
    char *src = normalise(data ? data : "", len, &n);
    TSParser *block_parser = NULL;
    TSTree *tree = NULL;
    rc = qms_docb_init(&m.b, m.path, QMS_FORMAT_MARKDOWN, limits);
    if (rc) {
        free(src);
        return qms_err_set(err, rc, "out of memory");
    }
    m.src = src;
    m.len = (uint32_t)n;
    if (src && (rc = qms_md_check_nesting(src, n, err)) != 0) {
        m.rc = rc;
        goto done;
    }
    m.scratch = qms_arena_new(0);
    if (!src || !m.scratch || build_lines(&m)) {
        fail(&m, QMS_ENOMEM);
        goto done;
    }
    front_matter(&m, src);
    if (m.len == 0 || m.rc)
        goto done;
    m.inline_parser = ts_parser_new();
    if (!m.inline_parser ||
        !ts_parser_set_language(m.inline_parser, tree_sitter_markdown_inline())) {
        m.rc = qms_err_set(err, QMS_EINTERNAL, "cannot load the Markdown grammar");
        goto done;
    }
    if (read_fast(&m)) {
        last_read_fast = 1;
        goto done;
    }
    block_parser = ts_parser_new();
    if (!block_parser || !ts_parser_set_language(block_parser, tree_sitter_markdown())) {
        m.rc = qms_err_set(err, QMS_EINTERNAL, "cannot load the Markdown grammar");
        goto done;
    }
    tree = ts_parser_parse_string(block_parser, NULL, m.src, m.len);
    if (!tree) {
        m.rc = qms_err_set(err, QMS_EINTERNAL, "the Markdown parser failed");
        goto done;
    }
    TSNode root = ts_tree_root_node(tree);
    collect_defs(&m, root);
    walk(&m, root, QMS_BLOCK_PARAGRAPH, 0, 0, 0, 0);

done:
    if (tree)
        ts_tree_delete(tree);
    if (block_parser)
        ts_parser_delete(block_parser);
    if (m.inline_parser)
        ts_parser_delete(m.inline_parser);
    free(m.line_starts);
    free(m.cp_marks);
    free(m.defs);
    free(m.slugs);
    free(m.pend);
    free(m.excl);
    free(m.wiki);
    free(m.keep);
    qms_buf_free(&m.out);
    qms_buf_free(&m.tmp);
    qms_buf_free(&m.tmp2);
    if (m.scratch)
        qms_arena_free(m.scratch);
    free(src);
    if (m.rc) {
        qms_docb_abort(&m.b);
        return m.rc;
    }
    return qms_docb_finish(&m.b, out);
}
