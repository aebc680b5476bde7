/*
 * DOCX reader: a WordprocessingML package -> qms_doc.
 *
 * The main part is found through _rels/.rels; every XML part is read with the streaming
 * xmlTextReader (never a DOM) and elements are matched by namespace URI + local name, so
 * transitional and strict OOXML and any prefix work alike. Macros are never run.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/zipxml.h"
#include "doc.h"
#include "reader.h"

/* ---- namespaces ------------------------------------------------------------------------ */

static const char *const ns_w[] = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                   "http://purl.oclc.org/ooxml/wordprocessingml/main", NULL};
static const char *const ns_r[] = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships", NULL};
static const char *const ns_m[] = {"http://schemas.openxmlformats.org/officeDocument/2006/math",
                                   "http://purl.oclc.org/ooxml/officeDocument/math", NULL};
static const char ns_mc[] = "http://schemas.openxmlformats.org/markup-compatibility/2006";
static const char *const ns_wp[] = {
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", NULL};
static const char *const ns_pic[] = {"http://schemas.openxmlformats.org/drawingml/2006/picture",
                                     "http://purl.oclc.org/ooxml/drawingml/picture", NULL};
static const char *const ns_a[] = {"http://schemas.openxmlformats.org/drawingml/2006/main",
                                   "http://purl.oclc.org/ooxml/drawingml/main", NULL};
static const char ns_vml[] = "urn:schemas-microsoft-com:vml";
static const char ns_office[] = "urn:schemas-microsoft-com:office:office";
static const char ns_strict_w[] = "http://purl.oclc.org/ooxml/wordprocessingml/main";

static int ns_in(const char *ns, const char *const *list)
{
    if (!ns)
        return 0;
    for (; *list; list++)
        if (strcmp(ns, *list) == 0)
            return 1;
    return 0;
}

/* Relationship types are compared by their last segment, so the transitional
 * (schemas.openxmlformats.org/officeDocument/2006/relationships/x) and strict
 * (purl.oclc.org/ooxml/officeDocument/relationships/x) URIs both match. */
static int rel_type_is(const char *type, const char *suffix)
{
    if (!type)
        return 0;
    const char *slash = strrchr(type, '/');
    return slash && strcmp(slash + 1, suffix) == 0;
}

/* ---- small helpers --------------------------------------------------------------------- */

#define TEXT_COLLECT_MAX (64u * 1024u) /* field results, content controls, review text */
#define MAX_STACK 64                   /* fields / controls / tables / paragraphs open at once */

static const char *cstr(const xmlChar *s) { return (const char *)s; }

/* An attribute in any of the namespaces in `ns` (or without one), copied into out. Returns
 * 1 when found. */
static int attr_ns(xmlTextReaderPtr r, const char *local, const char *const *ns, char *out,
                   size_t out_size)
{
    xmlChar *v = NULL;
    for (const char *const *n = ns; n && *n && !v; n++)
        v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)local, (const xmlChar *)*n);
    if (!v)
        v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)local, NULL);
    if (!v) {
        if (out_size)
            out[0] = '\0';
        return 0;
    }
    snprintf(out, out_size, "%s", cstr(v));
    xmlFree(v);
    return 1;
}

static int attr_w(xmlTextReaderPtr r, const char *local, char *out, size_t out_size)
{
    return attr_ns(r, local, ns_w, out, out_size);
}

/* An attribute without namespace (rels, custom properties), heap copy or NULL. */
static char *attr_plain(xmlTextReaderPtr r, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *copy = strdup(cstr(v));
    xmlFree(v);
    return copy;
}

/* On/off attributes: absent or "1"/"true"/"on" is on. */
static int onoff(const char *v, int present)
{
    if (!present)
        return 1;
    return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0);
}

static int buf_add(struct qms_buf *b, const char *s, size_t len)
{
    int rc = qms_buf_append(b, s, len);
    return rc == QMS_ETOOBIG ? 0 : rc; /* collectors are capped silently */
}

static const char *buf_str(const struct qms_buf *b) { return b->len ? b->data : ""; }

static int utf8_put(struct qms_buf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_add(b, u, n);
}

/* ---- relationships ---------------------------------------------------------------------- */

struct rel {
    char *id, *type, *target; /* target resolved to a part name unless external */
    int external;
};

struct rels {
    struct rel *items;
    size_t len, cap;
    const struct rel **by_id; /* the items sorted by id, for lookups */
};

static void rels_free(struct rels *rs)
{
    for (size_t i = 0; i < rs->len; i++) {
        free(rs->items[i].id);
        free(rs->items[i].type);
        free(rs->items[i].target);
    }
    free(rs->items);
    free(rs->by_id);
    memset(rs, 0, sizeof *rs);
}

static int rel_cmp(const void *a, const void *b)
{
    const struct rel *x = *(const struct rel *const *)a, *y = *(const struct rel *const *)b;
    return strcmp(x->id, y->id);
}

/* Lookups are by binary search: a hostile file may hold 100,000 relationships. */
static const struct rel *rels_find(const struct rels *rs, const char *id)
{
    if (!rs->by_id || !id)
        return NULL;
    struct rel key = {0};
    key.id = (char *)id;
    const struct rel *pkey = &key;
    const struct rel **hit = bsearch(&pkey, rs->by_id, rs->len, sizeof *rs->by_id, rel_cmp);
    return hit ? *hit : NULL;
}

/* ---- styles ---------------------------------------------------------------------------- */

struct style {
    char *id, *name, *based_on;
    int outline;  /* w:outlineLvl (0-9), -1 when not set */
    int numbered; /* 1: numPr with numId != 0, 0: numId 0, -1 not set */
};

struct styles {
    struct style *items;
    size_t len, cap;
    char *default_para; /* style id of the default paragraph style */
};

static void styles_free(struct styles *ss)
{
    for (size_t i = 0; i < ss->len; i++) {
        free(ss->items[i].id);
        free(ss->items[i].name);
        free(ss->items[i].based_on);
    }
    free(ss->items);
    free(ss->default_para);
    memset(ss, 0, sizeof *ss);
}

static int style_cmp(const void *a, const void *b)
{
    return strcmp(((const struct style *)a)->id, ((const struct style *)b)->id);
}

/* Styles are sorted by id once read (read_styles), so lookups are binary searches. */
static const struct style *styles_find(const struct styles *ss, const char *id)
{
    if (!id || !*id || !ss->len)
        return NULL;
    struct style key = {0};
    key.id = (char *)id;
    return bsearch(&key, ss->items, ss->len, sizeof *ss->items, style_cmp);
}

/* "heading 3" (any case) -> 3, else 0. */
static int heading_name_level(const char *name)
{
    if (!name || strncasecmp(name, "heading", 7) != 0)
        return 0;
    const char *p = name + 7;
    while (*p == ' ')
        p++;
    if (*p >= '1' && *p <= '9' && p[1] == '\0')
        return *p - '0';
    return 0;
}

/* The heading level of a style following basedOn (0: none, -1: title). */
static int style_heading_level(const struct styles *ss, const char *id)
{
    const struct style *s = styles_find(ss, id);
    for (int hops = 0; s && hops < 16; hops++) {
        if (s->name && strcasecmp(s->name, "title") == 0)
            return -1;
        int lvl = heading_name_level(s->name);
        if (lvl)
            return lvl;
        if (s->outline >= 0)
            return s->outline < 9 ? s->outline + 1 : 0;
        s = styles_find(ss, s->based_on);
    }
    return 0;
}

static int style_numbered(const struct styles *ss, const char *id)
{
    const struct style *s = styles_find(ss, id);
    for (int hops = 0; s && hops < 16; hops++) {
        if (s->numbered >= 0)
            return s->numbered;
        s = styles_find(ss, s->based_on);
    }
    return 0;
}

/* ---- the reader context ---------------------------------------------------------------- */

enum part_kind { PART_BODY, PART_HEADER, PART_FOOTER, PART_NOTES, PART_COMMENTS };

enum tag {
    T_OTHER = 0, T_P, T_R, T_T, T_DELTEXT, T_INSTRTEXT, T_MATH_T, T_TBL, T_TR, T_TC, T_SDT,
    T_SDTPR, T_TXBX, T_HYPERLINK, T_FLDSIMPLE, T_INS, T_DEL, T_MOVETO, T_MOVEFROM, T_PPR, T_NUMPR,
    T_TCPR, T_TRPR, T_PR, T_MC_ALT, T_MC_CHOICE, T_MC_FALLBACK, T_NOTE, T_COMMENT, T_DRAWING, T_IMAGE_PROP, T_BLIP,
    T_VML_IMAGE, T_RUBY_TEXT
};

struct frame {
    enum tag tag;
    int choice_taken; /* mc:AlternateContent: a Choice was read */
    int is_pr;        /* a property element: no text, no review marks inside */
    int opened;       /* pushed a collector (field, sdt, revision, hyperlink, note...) */
};

struct para {
    struct qms_buf text;
    uint32_t ordinal, line, column;
    char style[128];
    int outline;  /* paragraph w:outlineLvl, -1 none */
    int num_id;   /* -1 none */
    int ilvl;
    int in_txbx;
    int table_depth;
    int drop_cap; /* w:framePr w:dropCap: its text opens the next paragraph */
};

struct field {
    int in_result;     /* 0: instruction phase, 1: result phase */
    struct qms_buf instr, result;
    uint32_t block, line;
};

struct sdt {
    char alias[256], tag[256];
    struct qms_buf text;
    uint32_t block, line;
};

struct revision {
    enum qms_review_kind kind;
    int deleted;
    char author[256], date[64];
    struct qms_buf text;
    uint32_t block, line;
};

struct hyperlink {
    char target[2048];
    size_t start; /* offset in the paragraph text */
    int para_level;
    uint32_t block, line;
};

struct cell_state {
    uint32_t span;
    int vmerge; /* 0 none, 1 restart, 2 continue */
    struct qms_buf text;
    uint32_t line, column, block;
    int in_cell;
};

struct table_state {
    int32_t index;
    int32_t row;
    uint32_t col;
    int header_row;
    uint32_t grid_before;
    int32_t *vm_cell;   /* per grid column: index of the cell a vMerge continues, or -1 */
    uint32_t *vm_row;   /* its starting row */
    uint32_t vm_cols;
    struct cell_state cell;
};

struct comment_anchor {
    char id[64];
    uint32_t block, line;
    const char *section;
};

struct ctx {
    struct qms_docb b;
    struct qms_zip *zip;
    const struct qms_limits *limits;
    struct qms_err *err;
    struct styles styles;
    struct rels doc_rels;
    char main_part[1024];
    const char *main_part_copy; /* in the arena */

    /* per part */
    const char *part; /* arena copy */
    enum part_kind part_kind;
    const struct rels *part_rels;
    xmlTextReaderPtr r;
    uint32_t n_paras;
    struct frame *frames;
    size_t n_frames, frames_cap;
    size_t skip_from; /* >0: ignore everything while n_frames >= skip_from */
    int pr_depth;
    int txbx_depth;
    struct para paras[MAX_STACK];
    int n_paras_open;
    struct field fields[MAX_STACK];
    int n_fields;
    int fields_dropped; /* begun beyond MAX_STACK: their ends must not pop an open field */
    struct sdt sdts[MAX_STACK];
    int n_sdts;
    struct revision revs[MAX_STACK];
    int n_revs;
    struct hyperlink links[MAX_STACK];
    int n_links;
    struct table_state tables[MAX_STACK];
    int n_tables;
    /* comments.xml */
    int in_comment;
    char comment_id[64], comment_author[256], comment_date[64];
    struct qms_buf comment_text;
    uint32_t comment_block;

    struct comment_anchor *anchors;
    size_t n_anchors, anchors_cap;

    struct qms_buf drop_cap; /* a drop-cap letter waiting for its paragraph */

    /* the image of the w:drawing being read */
    int in_drawing;
    char image_alt[1024], image_target[1024];
};

static struct qms_location here(struct ctx *c, uint32_t block, uint32_t line)
{
    struct qms_location loc = {0};
    loc.part = c->part;
    loc.block = block;
    loc.line = line;
    return loc;
}

static uint32_t node_line(xmlTextReaderPtr r)
{
    xmlNodePtr node = xmlTextReaderCurrentNode(r);
    long l = node ? xmlGetLineNo(node) : -1;
    if (l <= 0)
        l = xmlTextReaderGetParserLineNumber(r);
    return l > 0 && l <= (long)UINT32_MAX ? (uint32_t)l : 0;
}

static uint32_t cur_line(struct ctx *c) { return node_line(c->r); }

static uint32_t cur_column(struct ctx *c)
{
    int l = xmlTextReaderGetParserColumnNumber(c->r);
    return l > 0 ? (uint32_t)l : 0;
}

/* Paragraph ordinal of "here": the open paragraph, or the next one. */
static uint32_t cur_block(struct ctx *c)
{
    if (c->n_paras_open > 0)
        return c->paras[c->n_paras_open - 1].ordinal;
    return c->n_paras + 1;
}

static int oom(struct ctx *c)
{
    return qms_err_set(c->err, QMS_ENOMEM, "%s: out of memory", c->part ? c->part : "");
}

static int anchor_cmp(const void *a, const void *b)
{
    const struct comment_anchor *x = a, *y = b;
    int d = strcmp(x->id, y->id);
    if (d)
        return d;
    return x->block < y->block ? -1 : x->block > y->block;
}

/* Where comment `id` is anchored in the body (the first place), or NULL. The anchors are
 * sorted once the body has been read. */
static const struct comment_anchor *comment_anchor_find(const struct ctx *c, const char *id)
{
    size_t lo = 0, hi = c->n_anchors;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->anchors[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_anchors && strcmp(c->anchors[lo].id, id) == 0 ? &c->anchors[lo] : NULL;
}

/* ---- text flow ------------------------------------------------------------------------- */

enum text_kind { TEXT_SHOWN, TEXT_DELETED, TEXT_INSTR };

static int emit_text(struct ctx *c, const char *s, size_t len, enum text_kind kind)
{
    if (!len)
        return 0;
    /* Text while a field is in its instruction phase is part of the instruction. */
    for (int i = c->n_fields - 1; i >= 0; i--) {
        if (!c->fields[i].in_result) {
            if (kind == TEXT_DELETED)
                return 0;
            return buf_add(&c->fields[i].instr, s, len);
        }
    }
    if (kind == TEXT_INSTR)
        return 0;
    if (kind == TEXT_DELETED) {
        for (int i = 0; i < c->n_revs; i++)
            if (c->revs[i].deleted) {
                int rc = buf_add(&c->revs[i].text, s, len);
                if (rc)
                    return rc;
            }
        return 0;
    }
    int rc = 0;
    if (c->n_paras_open > 0) {
        struct para *p = &c->paras[c->n_paras_open - 1];
        rc = qms_buf_append(&p->text, s, len);
        if (rc == QMS_ETOOBIG)
            return qms_err_set(c->err, QMS_ETOOBIG, "%s: paragraph %u longer than %zu bytes",
                               c->part, p->ordinal, p->text.max);
        if (rc)
            return oom(c);
    }
    for (int i = 0; i < c->n_fields && !rc; i++)
        rc = buf_add(&c->fields[i].result, s, len);
    for (int i = 0; i < c->n_sdts && !rc; i++)
        rc = buf_add(&c->sdts[i].text, s, len);
    for (int i = 0; i < c->n_revs && !rc; i++)
        if (!c->revs[i].deleted)
            rc = buf_add(&c->revs[i].text, s, len);
    return rc ? oom(c) : 0;
}

static int text_deleted(struct ctx *c)
{
    for (int i = 0; i < c->n_revs; i++)
        if (c->revs[i].deleted)
            return 1;
    return 0;
}

/* ---- fields ---------------------------------------------------------------------------- */

/* Next argument of a field instruction: "quoted" or bare; switches (\x) are returned too. */
static const char *field_arg(const char *p, char *out, size_t out_size)
{
    size_t n = 0;
    while (*p && isspace((unsigned char)*p))
        p++;
    if (!*p) {
        out[0] = '\0';
        return NULL;
    }
    if (*p == '"') {
        p++;
        while (*p && *p != '"') {
            if (n + 1 < out_size)
                out[n++] = *p;
            p++;
        }
        if (*p == '"')
            p++;
    } else {
        while (*p && !isspace((unsigned char)*p)) {
            if (n + 1 < out_size)
                out[n++] = *p;
            p++;
        }
    }
    out[n] = '\0';
    return p;
}

static int field_finish(struct ctx *c, struct field *f)
{
    const char *instr = buf_str(&f->instr);
    const char *result = buf_str(&f->result);
    struct qms_location loc = here(c, f->block, f->line);
    char word[64], arg[2048], anchor[1024] = "", target[2048] = "";
    const char *p = field_arg(instr, word, sizeof word);
    if (!p)
        return 0; /* empty instruction */
    for (char *w = word; *w; w++)
        *w = (char)toupper((unsigned char)*w);
    size_t rlen = strlen(result);
    while (rlen && (result[rlen - 1] == '\n'))
        rlen--;
    char *value = qms_arena_strndup(c->b.arena, result, rlen);
    if (!value)
        return oom(c);

    if (strcmp(word, "HYPERLINK") == 0) {
        while ((p = field_arg(p, arg, sizeof arg)) != NULL) {
            if (strcmp(arg, "\\l") == 0) {
                p = field_arg(p, anchor, sizeof anchor);
                if (!p)
                    break;
            } else if (arg[0] == '\\') {
                if (arg[1] == 'o' || arg[1] == 't')
                    p = field_arg(p, arg, sizeof arg); /* switch with an argument */
                if (!p)
                    break;
            } else if (!target[0]) {
                snprintf(target, sizeof target, "%s", arg);
            }
        }
        char full[4096];
        snprintf(full, sizeof full, "%s%s%s", target, anchor[0] ? "#" : "", anchor);
        if (full[0] && !qms_docb_add_link(&c->b, QMS_LINK_HYPERLINK, full, value, loc))
            return oom(c);
    } else if (strcmp(word, "REF") == 0 || strcmp(word, "PAGEREF") == 0 ||
               strcmp(word, "NOTEREF") == 0) {
        p = field_arg(p, arg, sizeof arg);
        if (p && arg[0] && arg[0] != '\\' &&
            !qms_docb_add_link(&c->b, QMS_LINK_XREF_FIELD, arg, value, loc))
            return oom(c);
    } else if (strcmp(word, "DOCPROPERTY") == 0) {
        p = field_arg(p, arg, sizeof arg);
        if (!qms_docb_add_field(&c->b, QMS_FIELD_DOCPROPERTY, p ? arg : NULL, NULL, instr, value,
                                loc))
            return oom(c);
        return 0;
    }
    if (!qms_docb_add_field(&c->b, QMS_FIELD_INSTRUCTION, NULL, NULL, instr, value, loc))
        return oom(c);
    return 0;
}

static int field_begin(struct ctx *c, const char *instr, int in_result)
{
    if (c->n_fields >= MAX_STACK) {
        c->fields_dropped++;
        return 0;
    }
    struct field *f = &c->fields[c->n_fields++];
    memset(f, 0, sizeof *f);
    qms_buf_init(&f->instr, TEXT_COLLECT_MAX);
    qms_buf_init(&f->result, TEXT_COLLECT_MAX);
    f->in_result = in_result;
    f->block = cur_block(c);
    f->line = cur_line(c);
    if (instr && buf_add(&f->instr, instr, strlen(instr)))
        return oom(c);
    return 0;
}

static int field_end(struct ctx *c)
{
    if (c->fields_dropped > 0) {
        c->fields_dropped--;
        return 0;
    }
    if (c->n_fields <= 0)
        return 0;
    struct field *f = &c->fields[--c->n_fields];
    int rc = field_finish(c, f);
    qms_buf_free(&f->instr);
    qms_buf_free(&f->result);
    return rc;
}

/* ---- paragraphs ------------------------------------------------------------------------ */

static int para_begin(struct ctx *c)
{
    c->n_paras++;
    if (c->n_paras_open >= MAX_STACK)
        return qms_err_set(c->err, QMS_ETOOBIG, "%s: paragraphs nested too deeply", c->part);
    struct para *p = &c->paras[c->n_paras_open++];
    memset(p, 0, sizeof *p);
    qms_buf_init(&p->text, c->limits->max_part_size);
    p->ordinal = c->n_paras;
    p->line = cur_line(c);
    p->column = cur_column(c);
    p->outline = -1;
    p->num_id = -1;
    p->in_txbx = c->txbx_depth > 0;
    p->table_depth = c->n_tables;
    if (c->drop_cap.len && c->n_paras_open == 1) {
        int rc = qms_buf_append(&p->text, c->drop_cap.data, c->drop_cap.len);
        qms_buf_reset(&c->drop_cap);
        if (rc)
            return oom(c);
    }
    return 0;
}

static int only_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

static int para_end(struct ctx *c)
{
    if (c->n_paras_open <= 0)
        return 0;
    struct para *p = &c->paras[c->n_paras_open - 1];
    int rc = 0;
    const char *text = buf_str(&p->text);
    size_t len = p->text.len;
    if (p->drop_cap && c->n_paras_open == 1 && len && len < 64) {
        /* Word keeps a drop cap in a frame paragraph of its own; it belongs to the next one. */
        qms_buf_free(&c->drop_cap);
        qms_buf_init(&c->drop_cap, 4096);
        rc = qms_buf_append(&c->drop_cap, text, len);
        qms_buf_free(&p->text);
        c->n_paras_open--;
        return rc ? oom(c) : 0;
    }

    const char *style_id = p->style[0] ? p->style : c->styles.default_para;
    const struct style *st = styles_find(&c->styles, style_id);
    enum qms_block_kind kind = QMS_BLOCK_PARAGRAPH;
    uint32_t level = 0;
    uint32_t flags = 0;
    struct table_state *t = c->n_tables > 0 ? &c->tables[c->n_tables - 1] : NULL;
    int in_cell = t && t->cell.in_cell && p->table_depth == c->n_tables && !p->in_txbx;

    if (p->in_txbx) {
        kind = QMS_BLOCK_TEXT_BOX;
    } else if (c->part_kind == PART_HEADER) {
        kind = QMS_BLOCK_HEADER;
    } else if (c->part_kind == PART_FOOTER) {
        kind = QMS_BLOCK_FOOTER;
    } else if (c->part_kind == PART_NOTES) {
        kind = QMS_BLOCK_NOTE;
    } else if (c->part_kind == PART_COMMENTS) {
        kind = QMS_BLOCK_COMMENT;
    } else if (in_cell) {
        kind = QMS_BLOCK_TABLE_CELL;
    } else {
        int hl = 0;
        if (p->outline >= 0)
            hl = p->outline < 9 ? p->outline + 1 : 0;
        else
            hl = style_heading_level(&c->styles, style_id);
        int numbered = p->num_id >= 0 ? p->num_id != 0 : style_numbered(&c->styles, style_id);
        if (hl == -1) {
            kind = QMS_BLOCK_TITLE;
        } else if (hl > 0) {
            kind = QMS_BLOCK_HEADING;
            level = (uint32_t)hl;
        } else if (numbered) {
            kind = QMS_BLOCK_LIST_ITEM;
            level = (uint32_t)(p->ilvl >= 0 && p->ilvl < 9 ? p->ilvl : 0) + 1;
        }
    }
    if (c->n_tables > 1 || (p->in_txbx && c->n_tables > 0))
        flags |= QMS_BLOCK_NESTED;

    if (!only_space(text, len)) {
        struct qms_location loc = here(c, p->ordinal, p->line);
        loc.column = p->column;
        if (c->part_kind == PART_COMMENTS && c->in_comment) {
            const struct comment_anchor *a = comment_anchor_find(c, c->comment_id);
            if (a)
                loc.section = a->section;
        }
        struct qms_block *blk = qms_docb_add_block(&c->b, kind, level, text, len, loc);
        if (!blk) {
            rc = oom(c);
        } else {
            blk->style = st && st->name ? qms_arena_strdup(c->b.arena, st->name)
                         : p->style[0]  ? qms_arena_strdup(c->b.arena, p->style)
                                        : NULL;
            if (in_cell) {
                blk->table = t->index;
                blk->row = t->row;
                blk->col = (int32_t)t->col;
                flags |= QMS_BLOCK_IN_TABLE;
            }
            blk->flags = flags;
        }
    }
    /* The paragraph joins the texts that gather whole paragraphs. */
    if (!rc && in_cell) {
        if (t->cell.text.len)
            rc = buf_add(&t->cell.text, "\n", 1);
        if (!rc)
            rc = buf_add(&t->cell.text, text, len);
        if (rc)
            rc = oom(c);
    }
    if (!rc && c->in_comment && c->n_paras_open == 1) {
        if (c->comment_text.len)
            rc = buf_add(&c->comment_text, "\n", 1);
        if (!rc)
            rc = buf_add(&c->comment_text, text, len);
        if (rc)
            rc = oom(c);
    }
    for (int i = 0; i < c->n_sdts && !rc; i++)
        if (c->sdts[i].text.len && c->sdts[i].text.data[c->sdts[i].text.len - 1] != '\n')
            rc = buf_add(&c->sdts[i].text, "\n", 1);
    for (int i = 0; i < c->n_revs && !rc; i++)
        if (c->revs[i].text.len && c->revs[i].text.data[c->revs[i].text.len - 1] != ' ')
            rc = buf_add(&c->revs[i].text, " ", 1);
    qms_buf_free(&p->text);
    c->n_paras_open--;
    return rc;
}

/* ---- tables ---------------------------------------------------------------------------- */

static struct qms_cell *table_cell_at(struct ctx *c, int32_t table, int32_t index)
{
    struct qms_vec *cells = &((struct qms_vec *)c->b.table_cells.items)[table];
    if (index < 0 || (size_t)index >= cells->len)
        return NULL;
    return &((struct qms_cell *)cells->items)[index];
}

static int table_begin(struct ctx *c)
{
    if (c->n_tables >= MAX_STACK)
        return qms_err_set(c->err, QMS_ETOOBIG, "%s: tables nested deeper than %d", c->part,
                           MAX_STACK);
    int32_t parent = c->n_tables > 0 ? c->tables[c->n_tables - 1].index : -1;
    int32_t idx = qms_docb_table_begin(&c->b, parent, here(c, c->n_paras + 1, cur_line(c)));
    if (idx < 0)
        return oom(c);
    struct table_state *t = &c->tables[c->n_tables++];
    memset(t, 0, sizeof *t);
    t->index = idx;
    t->row = -1;
    return 0;
}

static int table_end(struct ctx *c)
{
    if (c->n_tables <= 0)
        return 0;
    struct table_state *t = &c->tables[c->n_tables - 1];
    int rc = qms_docb_table_end(&c->b, t->index);
    qms_buf_free(&t->cell.text);
    free(t->vm_cell);
    free(t->vm_row);
    c->n_tables--;
    return rc;
}

static int vm_ensure(struct table_state *t, uint32_t cols)
{
    if (cols <= t->vm_cols)
        return 0;
    if (cols > 4096)
        return -1;
    int32_t *cells = realloc(t->vm_cell, cols * sizeof *cells);
    if (!cells)
        return -1;
    t->vm_cell = cells;
    uint32_t *rows = realloc(t->vm_row, cols * sizeof *rows);
    if (!rows)
        return -1;
    t->vm_row = rows;
    for (uint32_t i = t->vm_cols; i < cols; i++) {
        t->vm_cell[i] = -1;
        t->vm_row[i] = 0;
    }
    t->vm_cols = cols;
    return 0;
}

static void cell_begin(struct ctx *c)
{
    struct table_state *t = &c->tables[c->n_tables - 1];
    qms_buf_free(&t->cell.text);
    memset(&t->cell, 0, sizeof t->cell);
    qms_buf_init(&t->cell.text, c->limits->max_part_size);
    t->cell.span = 1;
    t->cell.in_cell = 1;
    t->cell.line = cur_line(c);
    t->cell.column = cur_column(c);
    t->cell.block = c->n_paras + 1;
    if (t->row < 0)
        t->row = 0;
}

static int cell_end(struct ctx *c)
{
    struct table_state *t = &c->tables[c->n_tables - 1];
    struct cell_state *cs = &t->cell;
    uint32_t span = cs->span ? cs->span : 1;
    if (span > 1024)
        span = 1024;
    if (t->col > 65536) {
        cs->in_cell = 0;
        return 0;
    }
    if (vm_ensure(t, t->col + span) != 0) {
        cs->in_cell = 0;
        return 0; /* absurd grids: keep the text blocks, drop the grid */
    }
    if (cs->vmerge == 2 && t->vm_cell[t->col] >= 0) {
        struct qms_cell *origin = table_cell_at(c, t->index, t->vm_cell[t->col]);
        if (origin)
            origin->row_span = (uint32_t)t->row - t->vm_row[t->col] + 1;
    } else {
        struct qms_location loc = here(c, cs->block, cs->line);
        loc.column = cs->column;
        struct qms_cell *cell = qms_docb_table_add_cell(&c->b, t->index, (uint32_t)t->row, t->col,
                                                        buf_str(&cs->text), cs->text.len, loc);
        if (!cell)
            return oom(c);
        cell->col_span = span;
        cell->header = t->header_row ? 1 : 0;
        struct qms_vec *cells = &((struct qms_vec *)c->b.table_cells.items)[t->index];
        int32_t ci = (int32_t)cells->len - 1;
        for (uint32_t k = 0; k < span; k++) {
            t->vm_cell[t->col + k] = cs->vmerge == 1 ? ci : -1;
            t->vm_row[t->col + k] = (uint32_t)t->row;
        }
    }
    t->col += span;
    cs->in_cell = 0;
    qms_buf_free(&cs->text);
    qms_buf_init(&cs->text, c->limits->max_part_size);
    return 0;
}

/* ---- elements -------------------------------------------------------------------------- */

static enum tag classify(const char *ns, const char *local)
{
    if (ns_in(ns, ns_w)) {
        switch (local[0]) {
        case 'p':
            if (!strcmp(local, "p")) return T_P;
            if (!strcmp(local, "pPr")) return T_PPR;
            break;
        case 'r':
            if (!strcmp(local, "r")) return T_R;
            if (!strcmp(local, "rt")) return T_RUBY_TEXT;
            break;
        case 't':
            if (!strcmp(local, "t")) return T_T;
            if (!strcmp(local, "tbl")) return T_TBL;
            if (!strcmp(local, "tr")) return T_TR;
            if (!strcmp(local, "tc")) return T_TC;
            if (!strcmp(local, "txbxContent")) return T_TXBX;
            if (!strcmp(local, "tcPr")) return T_TCPR;
            if (!strcmp(local, "trPr")) return T_TRPR;
            break;
        case 'd':
            if (!strcmp(local, "delText")) return T_DELTEXT;
            if (!strcmp(local, "del")) return T_DEL;
            break;
        case 'i':
            if (!strcmp(local, "instrText")) return T_INSTRTEXT;
            if (!strcmp(local, "ins")) return T_INS;
            break;
        case 's':
            if (!strcmp(local, "sdt")) return T_SDT;
            if (!strcmp(local, "sdtPr")) return T_SDTPR;
            break;
        case 'h':
            if (!strcmp(local, "hyperlink")) return T_HYPERLINK;
            break;
        case 'f':
            if (!strcmp(local, "fldSimple")) return T_FLDSIMPLE;
            if (!strcmp(local, "footnote")) return T_NOTE;
            break;
        case 'e':
            if (!strcmp(local, "endnote")) return T_NOTE;
            break;
        case 'm':
            if (!strcmp(local, "moveTo")) return T_MOVETO;
            if (!strcmp(local, "moveFrom")) return T_MOVEFROM;
            break;
        case 'n':
            if (!strcmp(local, "numPr")) return T_NUMPR;
            break;
        case 'c':
            if (!strcmp(local, "comment")) return T_COMMENT;
            break;
        }
        if (!strcmp(local, "drawing"))
            return T_DRAWING;
        size_t n = strlen(local);
        if (n >= 2 && strcmp(local + n - 2, "Pr") == 0)
            return T_PR;
        return T_OTHER;
    }
    if (ns && strcmp(ns, ns_mc) == 0) {
        if (!strcmp(local, "AlternateContent")) return T_MC_ALT;
        if (!strcmp(local, "Choice")) return T_MC_CHOICE;
        if (!strcmp(local, "Fallback")) return T_MC_FALLBACK;
    }
    if (ns_in(ns, ns_m) && !strcmp(local, "t"))
        return T_MATH_T;
    if ((ns_in(ns, ns_wp) && !strcmp(local, "docPr")) || (ns_in(ns, ns_pic) && !strcmp(local, "cNvPr")))
        return T_IMAGE_PROP;
    if (ns_in(ns, ns_a) && !strcmp(local, "blip"))
        return T_BLIP;
    if (ns && !strcmp(ns, ns_vml) && !strcmp(local, "imagedata"))
        return T_VML_IMAGE;
    return T_OTHER;
}

static enum tag parent_tag(struct ctx *c, size_t up)
{
    return c->n_frames > up ? c->frames[c->n_frames - 1 - up].tag : T_OTHER;
}

static int anchor_comment(struct ctx *c, const char *id)
{
    if (c->n_anchors > 0 && strcmp(c->anchors[c->n_anchors - 1].id, id) == 0)
        return 0; /* commentRangeStart then commentReference of the same comment */
    if (c->n_anchors == c->anchors_cap) {
        size_t cap = c->anchors_cap ? c->anchors_cap * 2 : 16;
        if (cap > 100000)
            return 0;
        struct comment_anchor *grown = realloc(c->anchors, cap * sizeof *grown);
        if (!grown)
            return oom(c);
        c->anchors = grown;
        c->anchors_cap = cap;
    }
    struct comment_anchor *a = &c->anchors[c->n_anchors++];
    snprintf(a->id, sizeof a->id, "%.63s", id); /* comment ids compare on 63 bytes alike */
    a->block = cur_block(c);
    a->line = cur_line(c);
    a->section = c->b.section;
    return 0;
}

/* What a W element does when it opens (after its frame is pushed). */
static int on_start(struct ctx *c, struct frame *f, const char *local, int empty)
{
    xmlTextReaderPtr r = c->r;
    char val[512];
    int rc = 0;
    switch (f->tag) {
    case T_P:
        return para_begin(c);
    case T_TBL:
        return table_begin(c);
    case T_TR:
        if (c->n_tables > 0) {
            struct table_state *t = &c->tables[c->n_tables - 1];
            t->row++;
            t->col = 0;
            t->header_row = 0;
        }
        return 0;
    case T_TC:
        if (c->n_tables > 0)
            cell_begin(c);
        return 0;
    case T_TXBX:
        c->txbx_depth++;
        return 0;
    case T_SDT:
        if (c->n_sdts < MAX_STACK) {
            struct sdt *s = &c->sdts[c->n_sdts++];
            memset(s, 0, sizeof *s);
            qms_buf_init(&s->text, TEXT_COLLECT_MAX);
            s->block = cur_block(c);
            s->line = cur_line(c);
            f->opened = 1;
        }
        return 0;
    case T_HYPERLINK:
        if (c->n_links < MAX_STACK && c->n_paras_open > 0) {
            struct hyperlink *h = &c->links[c->n_links];
            char id[256], anchor[1024];
            h->target[0] = '\0';
            if (attr_ns(r, "id", ns_r, id, sizeof id) && c->part_rels) {
                const struct rel *rel = rels_find(c->part_rels, id);
                if (rel && rel->target)
                    snprintf(h->target, sizeof h->target, "%s", rel->target);
            }
            if (attr_w(r, "anchor", anchor, sizeof anchor) && anchor[0]) {
                size_t n = strlen(h->target);
                snprintf(h->target + n, sizeof h->target - n, "#%s", anchor);
            }
            if (!h->target[0])
                return 0;
            h->para_level = c->n_paras_open;
            h->start = c->paras[c->n_paras_open - 1].text.len;
            h->block = cur_block(c);
            h->line = cur_line(c);
            c->n_links++;
            f->opened = 1;
        }
        return 0;
    case T_FLDSIMPLE: {
        xmlChar *instr = NULL;
        for (const char *const *n = ns_w; *n && !instr; n++)
            instr = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"instr", (const xmlChar *)*n);
        rc = field_begin(c, instr ? cstr(instr) : "", 1);
        xmlFree(instr);
        f->opened = 1;
        return rc;
    }
    case T_INS:
    case T_DEL:
    case T_MOVETO:
    case T_MOVEFROM:
        if (c->pr_depth > 0 || empty || c->n_revs >= MAX_STACK)
            return 0;
        {
            struct revision *rv = &c->revs[c->n_revs++];
            memset(rv, 0, sizeof *rv);
            rv->deleted = f->tag == T_DEL || f->tag == T_MOVEFROM;
            rv->kind = rv->deleted ? QMS_REVIEW_DELETION : QMS_REVIEW_INSERTION;
            attr_w(r, "author", rv->author, sizeof rv->author);
            attr_w(r, "date", rv->date, sizeof rv->date);
            qms_buf_init(&rv->text, TEXT_COLLECT_MAX);
            rv->block = cur_block(c);
            rv->line = cur_line(c);
            f->opened = 1;
        }
        return 0;
    case T_NOTE:
        if (attr_w(r, "type", val, sizeof val) && strcmp(val, "normal") != 0)
            c->skip_from = c->n_frames; /* separators and continuation notices */
        return 0;
    case T_RUBY_TEXT:
        c->skip_from = c->n_frames; /* the phonetic guide above a ruby base, not text */
        return 0;
    case T_DRAWING:
        c->in_drawing = 1;
        c->image_alt[0] = c->image_target[0] = '\0';
        return 0;
    case T_IMAGE_PROP:
        if (c->in_drawing && !c->image_alt[0]) {
            static const char *const none[] = {NULL};
            attr_ns(r, "descr", none, c->image_alt, sizeof c->image_alt);
        }
        return 0;
    case T_BLIP:
        if (c->in_drawing && !c->image_target[0]) {
            char id[256];
            if ((attr_ns(r, "embed", ns_r, id, sizeof id) || attr_ns(r, "link", ns_r, id, sizeof id)) &&
                c->part_rels) {
                const struct rel *rel = rels_find(c->part_rels, id);
                if (rel && rel->target)
                    snprintf(c->image_target, sizeof c->image_target, "%s", rel->target);
            }
        }
        return 0;
    case T_VML_IMAGE: {
        char id[256], title[1024], target[1024] = "";
        static const char *const office[] = {ns_office, NULL};
        attr_ns(r, "title", office, title, sizeof title);
        if (attr_ns(r, "id", ns_r, id, sizeof id) && c->part_rels) {
            const struct rel *rel = rels_find(c->part_rels, id);
            if (rel && rel->target)
                snprintf(target, sizeof target, "%s", rel->target);
        }
        if (!qms_docb_add_link(&c->b, QMS_LINK_IMAGE, target, title,
                               here(c, cur_block(c), cur_line(c))))
            return oom(c);
        return 0;
    }
    case T_COMMENT:
        if (c->part_kind == PART_COMMENTS) {
            c->in_comment = 1;
            attr_w(r, "id", c->comment_id, sizeof c->comment_id);
            attr_w(r, "author", c->comment_author, sizeof c->comment_author);
            attr_w(r, "date", c->comment_date, sizeof c->comment_date);
            qms_buf_free(&c->comment_text);
            qms_buf_init(&c->comment_text, TEXT_COLLECT_MAX);
            c->comment_block = c->n_paras + 1;
            f->opened = 1;
        }
        return 0;
    default:
        break;
    }

    /* Leaf elements, by local name and parent. */
    enum tag parent = parent_tag(c, 1);
    if (!strcmp(local, "tab") && parent == T_R)
        return emit_text(c, "\t", 1, text_deleted(c) ? TEXT_DELETED : TEXT_SHOWN);
    if ((!strcmp(local, "br") || !strcmp(local, "cr")) && parent == T_R)
        return emit_text(c, "\n", 1, text_deleted(c) ? TEXT_DELETED : TEXT_SHOWN);
    if (!strcmp(local, "noBreakHyphen") && parent == T_R)
        return emit_text(c, "-", 1, text_deleted(c) ? TEXT_DELETED : TEXT_SHOWN);
    if (!strcmp(local, "sym") && parent == T_R) {
        if (attr_w(r, "char", val, sizeof val)) {
            unsigned long cp = strtoul(val, NULL, 16);
            if (cp >= 0xF000 && cp <= 0xF0FF)
                cp -= 0xF000; /* symbol-font private range */
            if (cp >= 0x20) {
                struct qms_buf tmp;
                qms_buf_init(&tmp, 8);
                rc = utf8_put(&tmp, cp);
                if (!rc && tmp.len)
                    rc = emit_text(c, tmp.data, tmp.len,
                                   text_deleted(c) ? TEXT_DELETED : TEXT_SHOWN);
                qms_buf_free(&tmp);
            }
        }
        return rc;
    }
    if (!strcmp(local, "fldChar")) {
        attr_w(r, "fldCharType", val, sizeof val);
        if (!strcmp(val, "begin"))
            return field_begin(c, NULL, 0);
        if (!strcmp(val, "separate")) {
            if (c->n_fields > 0)
                c->fields[c->n_fields - 1].in_result = 1;
            return 0;
        }
        if (!strcmp(val, "end"))
            return field_end(c);
        return 0;
    }
    if (!strcmp(local, "pStyle") && parent == T_PPR && c->n_paras_open > 0) {
        attr_w(r, "val", c->paras[c->n_paras_open - 1].style,
               sizeof c->paras[c->n_paras_open - 1].style);
        return 0;
    }
    if (!strcmp(local, "framePr") && parent == T_PPR && c->n_paras_open > 0) {
        if (attr_w(r, "dropCap", val, sizeof val) && strcmp(val, "none") != 0)
            c->paras[c->n_paras_open - 1].drop_cap = 1;
        return 0;
    }
    if (!strcmp(local, "outlineLvl") && parent == T_PPR && c->n_paras_open > 0) {
        if (attr_w(r, "val", val, sizeof val))
            c->paras[c->n_paras_open - 1].outline = atoi(val);
        return 0;
    }
    if (parent == T_NUMPR && parent_tag(c, 2) == T_PPR && c->n_paras_open > 0) {
        struct para *p = &c->paras[c->n_paras_open - 1];
        if (!strcmp(local, "ilvl") && attr_w(r, "val", val, sizeof val))
            p->ilvl = atoi(val);
        else if (!strcmp(local, "numId") && attr_w(r, "val", val, sizeof val))
            p->num_id = atoi(val);
        return 0;
    }
    if (parent == T_TCPR && c->n_tables > 0) {
        struct cell_state *cs = &c->tables[c->n_tables - 1].cell;
        if (!strcmp(local, "gridSpan") && attr_w(r, "val", val, sizeof val)) {
            long span = strtol(val, NULL, 10);
            cs->span = span >= 1 && span <= 1024 ? (uint32_t)span : 1;
        } else if (!strcmp(local, "vMerge")) {
            int has = attr_w(r, "val", val, sizeof val);
            cs->vmerge = has && !strcmp(val, "restart") ? 1 : 2;
        }
        return 0;
    }
    if (parent == T_TRPR && c->n_tables > 0) {
        struct table_state *t = &c->tables[c->n_tables - 1];
        if (!strcmp(local, "tblHeader")) {
            int has = attr_w(r, "val", val, sizeof val);
            t->header_row = onoff(val, has);
        } else if (!strcmp(local, "gridBefore") && attr_w(r, "val", val, sizeof val)) {
            long n = strtol(val, NULL, 10);
            if (n > 0 && n < 1024)
                t->col += (uint32_t)n;
        }
        return 0;
    }
    if (parent == T_SDTPR && c->n_sdts > 0) {
        struct sdt *s = &c->sdts[c->n_sdts - 1];
        if (!strcmp(local, "alias"))
            attr_w(r, "val", s->alias, sizeof s->alias);
        else if (!strcmp(local, "tag"))
            attr_w(r, "val", s->tag, sizeof s->tag);
        return 0;
    }
    if (!strcmp(local, "bookmarkStart")) {
        char name[512];
        if (attr_w(r, "name", name, sizeof name) && name[0] && strcmp(name, "_GoBack") != 0 &&
            !qms_docb_add_anchor(&c->b, QMS_ANCHOR_BOOKMARK, name,
                                 here(c, cur_block(c), cur_line(c))))
            return oom(c);
        return 0;
    }
    if ((!strcmp(local, "commentRangeStart") || !strcmp(local, "commentReference")) &&
        c->part_kind == PART_BODY) {
        if (attr_w(r, "id", val, sizeof val))
            return anchor_comment(c, val);
        return 0;
    }
    if (strlen(local) > 8 && !strcmp(local + strlen(local) - 8, "PrChange")) {
        struct qms_review_item *it = NULL;
        char author[256], date[64];
        attr_w(r, "author", author, sizeof author);
        attr_w(r, "date", date, sizeof date);
        it = qms_docb_add_review(&c->b, QMS_REVIEW_FORMAT_CHANGE, author[0] ? author : NULL,
                                 date[0] ? date : NULL, "", here(c, cur_block(c), cur_line(c)));
        return it ? 0 : oom(c);
    }
    return 0;
}

static int on_end(struct ctx *c, struct frame *f)
{
    int rc = 0;
    switch (f->tag) {
    case T_P:
        return para_end(c);
    case T_TBL:
        return table_end(c);
    case T_TC:
        if (c->n_tables > 0 && c->tables[c->n_tables - 1].cell.in_cell)
            return cell_end(c);
        return 0;
    case T_TXBX:
        if (c->txbx_depth > 0)
            c->txbx_depth--;
        return 0;
    case T_SDT:
        if (f->opened && c->n_sdts > 0) {
            struct sdt *s = &c->sdts[--c->n_sdts];
            size_t len = s->text.len;
            while (len && (s->text.data[len - 1] == '\n'))
                len--;
            char *value = qms_arena_strndup(c->b.arena, buf_str(&s->text), len);
            if (!value ||
                !qms_docb_add_field(&c->b, QMS_FIELD_CONTENT_CONTROL, s->tag[0] ? s->tag : NULL,
                                    s->alias[0] ? s->alias : NULL, NULL, value,
                                    here(c, s->block, s->line)))
                rc = oom(c);
            qms_buf_free(&s->text);
        }
        return rc;
    case T_HYPERLINK:
        if (f->opened && c->n_links > 0) {
            struct hyperlink *h = &c->links[--c->n_links];
            const char *text = "";
            char *copy = NULL;
            if (h->para_level == c->n_paras_open && c->n_paras_open > 0) {
                struct para *p = &c->paras[c->n_paras_open - 1];
                if (h->start <= p->text.len) {
                    copy = qms_arena_strndup(c->b.arena, buf_str(&p->text) + h->start,
                                             p->text.len - h->start);
                    if (!copy)
                        return oom(c);
                    text = copy;
                }
            }
            if (!qms_docb_add_link(&c->b, QMS_LINK_HYPERLINK, h->target, text,
                                   here(c, h->block, h->line)))
                return oom(c);
        }
        return 0;
    case T_FLDSIMPLE:
        return field_end(c);
    case T_DRAWING:
        if (c->in_drawing && (c->image_target[0] || c->image_alt[0])) {
            c->in_drawing = 0;
            if (!qms_docb_add_link(&c->b, QMS_LINK_IMAGE, c->image_target, c->image_alt,
                                   here(c, cur_block(c), cur_line(c))))
                return oom(c);
        }
        c->in_drawing = 0;
        return 0;
    case T_INS:
    case T_DEL:
    case T_MOVETO:
    case T_MOVEFROM:
        if (f->opened && c->n_revs > 0) {
            struct revision *rv = &c->revs[--c->n_revs];
            if (!qms_docb_add_review(&c->b, rv->kind, rv->author[0] ? rv->author : NULL,
                                     rv->date[0] ? rv->date : NULL, buf_str(&rv->text),
                                     here(c, rv->block, rv->line)))
                rc = oom(c);
            qms_buf_free(&rv->text);
        }
        return rc;
    case T_COMMENT:
        if (f->opened && c->in_comment) {
            struct qms_location loc = here(c, c->comment_block, 0);
            const struct comment_anchor *a = comment_anchor_find(c, c->comment_id);
            if (a) {
                loc.part = c->main_part_copy;
                loc.block = a->block;
                loc.line = a->line;
                loc.section = a->section;
            }
            if (!qms_docb_add_review(&c->b, QMS_REVIEW_COMMENT,
                                     c->comment_author[0] ? c->comment_author : NULL,
                                     c->comment_date[0] ? c->comment_date : NULL,
                                     buf_str(&c->comment_text), loc))
                rc = oom(c);
            c->in_comment = 0;
        }
        return rc;
    default:
        return 0;
    }
}

static int push_frame(struct ctx *c, enum tag tag)
{
    if (c->n_frames == c->frames_cap) {
        size_t cap = c->frames_cap ? c->frames_cap * 2 : 64;
        struct frame *grown = realloc(c->frames, cap * sizeof *grown);
        if (!grown)
            return oom(c);
        c->frames = grown;
        c->frames_cap = cap;
    }
    struct frame *f = &c->frames[c->n_frames++];
    memset(f, 0, sizeof *f);
    f->tag = tag;
    return 0;
}

static int pop_frame(struct ctx *c)
{
    if (c->n_frames == 0)
        return 0;
    struct frame f = c->frames[c->n_frames - 1];
    int rc = 0;
    if (c->skip_from && c->n_frames >= c->skip_from) {
        if (c->n_frames == c->skip_from)
            c->skip_from = 0;
    } else {
        rc = on_end(c, &f);
    }
    if (f.is_pr && c->pr_depth > 0)
        c->pr_depth--;
    c->n_frames--;
    return rc;
}

static int handle_start(struct ctx *c)
{
    xmlTextReaderPtr r = c->r;
    const char *local = cstr(xmlTextReaderConstLocalName(r));
    const char *ns = cstr(xmlTextReaderConstNamespaceUri(r));
    int empty = xmlTextReaderIsEmptyElement(r);
    if (!local)
        local = "";
    enum tag tag = classify(ns, local);
    int rc = push_frame(c, tag);
    if (rc)
        return rc;
    struct frame *f = &c->frames[c->n_frames - 1];
    if (!c->skip_from) {
        if (tag == T_MC_CHOICE || tag == T_MC_FALLBACK) {
            /* Read the first Choice; the Fallback only when no Choice was read. */
            struct frame *alt = c->n_frames >= 2 ? &c->frames[c->n_frames - 2] : NULL;
            if (alt && alt->tag == T_MC_ALT) {
                if (alt->choice_taken)
                    c->skip_from = c->n_frames;
                else if (tag == T_MC_CHOICE)
                    alt->choice_taken = 1;
            }
        } else {
            if (tag == T_PR || tag == T_PPR || tag == T_TCPR || tag == T_TRPR || tag == T_SDTPR ||
                tag == T_NUMPR) {
                f->is_pr = 1;
                c->pr_depth++;
            }
            if (ns_in(ns, ns_w) || tag != T_OTHER) {
                rc = on_start(c, f, local, empty);
                if (rc)
                    return rc;
            }
        }
    }
    if (empty)
        rc = pop_frame(c);
    return rc;
}

static int handle_text(struct ctx *c)
{
    if (c->skip_from || c->n_frames == 0)
        return 0;
    enum tag top = c->frames[c->n_frames - 1].tag;
    const char *v = cstr(xmlTextReaderConstValue(c->r));
    if (!v)
        return 0;
    switch (top) {
    case T_T:
        if (parent_tag(c, 1) != T_R)
            return 0;
        return emit_text(c, v, strlen(v), text_deleted(c) ? TEXT_DELETED : TEXT_SHOWN);
    case T_MATH_T:
        return emit_text(c, v, strlen(v), text_deleted(c) ? TEXT_DELETED : TEXT_SHOWN);
    case T_DELTEXT:
        return emit_text(c, v, strlen(v), TEXT_DELETED);
    case T_INSTRTEXT:
        return emit_text(c, v, strlen(v), TEXT_INSTR);
    default:
        return 0;
    }
}

static void part_reset(struct ctx *c)
{
    for (int i = 0; i < c->n_paras_open; i++)
        qms_buf_free(&c->paras[i].text);
    for (int i = 0; i < c->n_fields; i++) {
        qms_buf_free(&c->fields[i].instr);
        qms_buf_free(&c->fields[i].result);
    }
    for (int i = 0; i < c->n_sdts; i++)
        qms_buf_free(&c->sdts[i].text);
    for (int i = 0; i < c->n_revs; i++)
        qms_buf_free(&c->revs[i].text);
    for (int i = 0; i < c->n_tables; i++) {
        qms_buf_free(&c->tables[i].cell.text);
        free(c->tables[i].vm_cell);
        free(c->tables[i].vm_row);
    }
    qms_buf_free(&c->comment_text);
    qms_buf_free(&c->drop_cap);
    c->fields_dropped = 0;
    c->n_paras_open = c->n_fields = c->n_sdts = c->n_revs = c->n_links = c->n_tables = 0;
    c->n_frames = 0;
    c->skip_from = 0;
    c->pr_depth = c->txbx_depth = 0;
    c->in_comment = 0;
    c->in_drawing = 0;
    c->n_paras = 0;
}

/* Reads one WordprocessingML part (body, header, notes, comments). */
static int read_story(struct ctx *c, const char *part, enum part_kind kind, const struct rels *rels,
                      int is_main)
{
    char *data = NULL;
    size_t len = 0;
    int rc = qms_zip_read(c->zip, part, &data, &len, c->err);
    if (rc)
        return rc;
    c->part = qms_arena_strdup(c->b.arena, part);
    if (!c->part) {
        free(data);
        return oom(c);
    }
    c->part_kind = kind;
    c->part_rels = rels;
    c->r = qms_xml_reader_new(data, len, part, c->err);
    if (!c->r) {
        free(data);
        return QMS_ENOMEM;
    }
    int saw_root = 0;
    while ((rc = qms_xml_next(c->r, part, c->limits, c->err)) == 1) {
        int type = xmlTextReaderNodeType(c->r);
        rc = 0;
        if (type == XML_READER_TYPE_ELEMENT) {
            if (!saw_root) {
                saw_root = 1;
                const char *ns = cstr(xmlTextReaderConstNamespaceUri(c->r));
                if (is_main) {
                    if (!ns_in(ns, ns_w)) {
                        rc = qms_err_set(c->err, QMS_EFORMAT,
                                         "%s: main part is not a WordprocessingML document", part);
                        break;
                    }
                    if (strcmp(ns, ns_strict_w) == 0)
                        c->b.doc->flags |= QMS_DOC_STRICT_OOXML;
                }
            }
            rc = handle_start(c);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            rc = pop_frame(c);
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   type == XML_READER_TYPE_CDATA) {
            rc = handle_text(c);
        }
        if (rc)
            break;
    }
    if (rc == 0 && is_main && !saw_root)
        rc = qms_err_set(c->err, QMS_EFORMAT, "%s: empty main part", part);
    xmlFreeTextReader(c->r);
    c->r = NULL;
    free(data);
    part_reset(c);
    return rc < 0 ? rc : 0;
}

/* ---- package-level parts ---------------------------------------------------------------- */

static int read_rels(struct ctx *c, const char *source_part, struct rels *out)
{
    /* word/document.xml -> word/_rels/document.xml.rels; "" -> _rels/.rels */
    char rels_name[1200];
    const char *slash = strrchr(source_part, '/');
    if (slash)
        snprintf(rels_name, sizeof rels_name, "%.*s/_rels/%s.rels", (int)(slash - source_part),
                 source_part, slash + 1);
    else
        snprintf(rels_name, sizeof rels_name, "_rels/%s.rels", source_part);
    if (!qms_zip_has(c->zip, rels_name))
        return 0;
    char *data = NULL;
    size_t len = 0;
    int rc = qms_zip_read(c->zip, rels_name, &data, &len, c->err);
    if (rc)
        return rc == QMS_EFORMAT ? 0 : rc;
    xmlTextReaderPtr r = qms_xml_reader_new(data, len, rels_name, c->err);
    if (!r) {
        free(data);
        return QMS_ENOMEM;
    }
    while ((rc = qms_xml_next(r, rels_name, c->limits, c->err)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *local = cstr(xmlTextReaderConstLocalName(r));
        if (!local || strcmp(local, "Relationship") != 0)
            continue;
        if (out->len >= 100000)
            break;
        if (out->len == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 16;
            struct rel *grown = realloc(out->items, cap * sizeof *grown);
            if (!grown) {
                rc = oom(c);
                break;
            }
            out->items = grown;
            out->cap = cap;
        }
        struct rel *rel = &out->items[out->len];
        memset(rel, 0, sizeof *rel);
        rel->id = attr_plain(r, "Id");
        rel->type = attr_plain(r, "Type");
        char *target = attr_plain(r, "Target");
        char *mode = attr_plain(r, "TargetMode");
        rel->external = mode && strcasecmp(mode, "External") == 0;
        free(mode);
        if (target && !rel->external) {
            char resolved[2048];
            qms_zip_resolve(resolved, sizeof resolved, source_part, target);
            free(target);
            target = strdup(resolved);
        }
        rel->target = target;
        out->len++;
        if (!rel->id || !rel->type || !rel->target) {
            /* A Relationship without Id, Type or Target (hostile or broken) is skipped, not
             * taken for a failed allocation. */
            out->len--;
            free(rel->id);
            free(rel->type);
            free(rel->target);
            continue;
        }
    }
    xmlFreeTextReader(r);
    free(data);
    if (rc != QMS_ENOMEM && out->len > 0) {
        out->by_id = malloc(out->len * sizeof *out->by_id);
        if (!out->by_id)
            return oom(c);
        for (size_t i = 0; i < out->len; i++)
            out->by_id[i] = &out->items[i];
        qsort(out->by_id, out->len, sizeof *out->by_id, rel_cmp);
    }
    /* A malformed rels part is not fatal: what was read so far is used. */
    return rc == QMS_ENOMEM ? rc : 0;
}

static int read_styles(struct ctx *c, const char *part)
{
    char *data = NULL;
    size_t len = 0;
    int rc = qms_zip_read(c->zip, part, &data, &len, c->err);
    if (rc)
        return rc == QMS_EFORMAT ? 0 : rc;
    xmlTextReaderPtr r = qms_xml_reader_new(data, len, part, c->err);
    if (!r) {
        free(data);
        return QMS_ENOMEM;
    }
    struct style *cur = NULL;
    int cur_depth = -1;
    char val[512];
    struct styles *ss = &c->styles;
    while ((rc = qms_xml_next(r, part, c->limits, c->err)) == 1) {
        int type = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (type == XML_READER_TYPE_END_ELEMENT && cur && depth == cur_depth) {
            cur = NULL;
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *ns = cstr(xmlTextReaderConstNamespaceUri(r));
        const char *local = cstr(xmlTextReaderConstLocalName(r));
        if (!ns_in(ns, ns_w) || !local)
            continue;
        if (!strcmp(local, "style")) {
            cur = NULL;
            attr_w(r, "type", val, sizeof val);
            if (val[0] && strcmp(val, "paragraph") != 0)
                continue;
            if (ss->len >= 20000)
                continue;
            if (ss->len == ss->cap) {
                size_t cap = ss->cap ? ss->cap * 2 : 64;
                struct style *grown = realloc(ss->items, cap * sizeof *grown);
                if (!grown) {
                    rc = oom(c);
                    break;
                }
                ss->items = grown;
                ss->cap = cap;
            }
            char id[256];
            attr_w(r, "styleId", id, sizeof id);
            cur = &ss->items[ss->len++];
            memset(cur, 0, sizeof *cur);
            cur->id = strdup(id);
            cur->outline = -1;
            cur->numbered = -1;
            if (!cur->id) {
                rc = oom(c);
                break;
            }
            int has = attr_w(r, "default", val, sizeof val);
            if (has && onoff(val, has) && !ss->default_para)
                ss->default_para = strdup(id);
            cur_depth = depth;
            if (xmlTextReaderIsEmptyElement(r))
                cur = NULL;
        } else if (cur) {
            if (!strcmp(local, "name") && attr_w(r, "val", val, sizeof val)) {
                free(cur->name);
                cur->name = strdup(val);
            } else if (!strcmp(local, "basedOn") && attr_w(r, "val", val, sizeof val)) {
                free(cur->based_on);
                cur->based_on = strdup(val);
            } else if (!strcmp(local, "outlineLvl") && attr_w(r, "val", val, sizeof val)) {
                cur->outline = atoi(val);
            } else if (!strcmp(local, "numId") && attr_w(r, "val", val, sizeof val)) {
                cur->numbered = atoi(val) != 0;
            }
        }
    }
    xmlFreeTextReader(r);
    free(data);
    if (ss->len > 1)
        qsort(ss->items, ss->len, sizeof *ss->items, style_cmp);
    return rc == QMS_ENOMEM ? rc : 0;
}

enum props_kind { PROPS_CORE, PROPS_APP, PROPS_CUSTOM };

/* core.xml / app.xml: the root's children with plain text. custom.xml: property/vt:x. */
static int read_props(struct ctx *c, const char *part, enum props_kind kind)
{
    char *data = NULL;
    size_t len = 0;
    int rc = qms_zip_read(c->zip, part, &data, &len, c->err);
    if (rc)
        return rc == QMS_EFORMAT ? 0 : rc;
    xmlTextReaderPtr r = qms_xml_reader_new(data, len, part, c->err);
    if (!r) {
        free(data);
        return QMS_ENOMEM;
    }
    const char *part_copy = qms_arena_strdup(c->b.arena, part);
    struct qms_buf value;
    qms_buf_init(&value, TEXT_COLLECT_MAX);
    char name[512] = "", type[64] = "";
    int open = 0, complex = 0;
    uint32_t line = 0;
    int item_depth = kind == PROPS_CUSTOM ? 2 : 1;
    while ((rc = qms_xml_next(r, part, c->limits, c->err)) == 1) {
        int nt = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        const char *local = cstr(xmlTextReaderConstLocalName(r));
        if (nt == XML_READER_TYPE_ELEMENT) {
            if (kind == PROPS_CUSTOM && depth == 1 && local && !strcmp(local, "property")) {
                char *n = attr_plain(r, "name");
                snprintf(name, sizeof name, "%s", n ? n : "");
                free(n);
            } else if (depth == item_depth && (kind != PROPS_CUSTOM || name[0])) {
                if (kind != PROPS_CUSTOM)
                    snprintf(name, sizeof name, "%s", local ? local : "");
                snprintf(type, sizeof type, "%s", local ? local : "string");
                qms_buf_reset(&value);
                open = 1;
                complex = 0;
                line = node_line(r);
                if (xmlTextReaderIsEmptyElement(r))
                    goto finish_item;
            } else if (open && depth > item_depth) {
                if (kind == PROPS_APP)
                    complex = 1;
                else if (value.len)
                    buf_add(&value, ";", 1);
            }
            continue;
        }
        if ((nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) && open) {
            const char *v = cstr(xmlTextReaderConstValue(r));
            if (v)
                buf_add(&value, v, strlen(v));
            continue;
        }
        if (nt != XML_READER_TYPE_END_ELEMENT || !open || depth != item_depth)
            continue;
    finish_item:
        open = 0;
        if (complex || !name[0])
            continue;
        {
            const char *ptype = "string";
            if (kind == PROPS_CUSTOM)
                ptype = type;
            else if (kind == PROPS_CORE && (!strcmp(name, "created") || !strcmp(name, "modified") ||
                                            !strcmp(name, "lastPrinted")))
                ptype = "date";
            struct qms_location loc = {0};
            loc.part = part_copy;
            loc.line = line;
            enum qms_prop_source src = kind == PROPS_CORE  ? QMS_PROP_CORE
                                       : kind == PROPS_APP ? QMS_PROP_APP
                                                           : QMS_PROP_CUSTOM;
            if (!qms_docb_add_property(&c->b, src, name, buf_str(&value), ptype, loc)) {
                rc = oom(c);
                break;
            }
        }
        if (kind == PROPS_CUSTOM)
            name[0] = '\0';
    }
    qms_buf_free(&value);
    xmlFreeTextReader(r);
    free(data);
    return rc == QMS_ENOMEM ? rc : 0;
}

static int ext_is(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n >= e && strcasecmp(path + n - e, ext) == 0;
}

/* Secondary parts: a malformed or missing one is skipped; caps and memory are fatal. */
static int soft(int rc)
{
    return (rc == QMS_ETOOBIG || rc == QMS_ENOMEM) ? rc : 0;
}

static int is_story_rel(const struct rel *rel)
{
    return !rel->external &&
           (rel_type_is(rel->type, "header") || rel_type_is(rel->type, "footer") ||
            rel_type_is(rel->type, "footnotes") || rel_type_is(rel->type, "endnotes") ||
            rel_type_is(rel->type, "comments"));
}

static int rel_target_cmp(const void *a, const void *b)
{
    const struct rel *x = *(const struct rel *const *)a, *y = *(const struct rel *const *)b;
    int d = strcmp(x->target, y->target);
    return d ? d : (x < y ? -1 : x > y); /* ties in document order: the first one is kept */
}

/* A flag per relationship: 1 when an earlier one names the same part. NULL when out of
 * memory. O(n log n), for a rels part may hold 100,000 relationships. */
static unsigned char *story_duplicates(const struct rels *rs)
{
    unsigned char *dup = calloc(rs->len, 1);
    const struct rel **order = malloc(rs->len * sizeof *order);
    if (!dup || !order) {
        free(dup);
        free(order);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = 0; i < rs->len; i++)
        if (is_story_rel(&rs->items[i]))
            order[n++] = &rs->items[i];
    if (n > 1)
        qsort(order, n, sizeof *order, rel_target_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(order[i]->target, order[i - 1]->target) == 0)
            dup[order[i] - rs->items] = 1;
    free(order);
    return dup;
}

static int read_package(struct ctx *c)
{
    struct rels pkg = {0};
    int rc = read_rels(c, "", &pkg);
    if (rc) {
        rels_free(&pkg);
        return rc;
    }
    c->main_part[0] = '\0';
    const char *core = NULL, *app = NULL, *custom = NULL;
    for (size_t i = 0; i < pkg.len; i++) {
        const struct rel *rel = &pkg.items[i];
        if (rel->external)
            continue;
        if (rel_type_is(rel->type, "officeDocument") && !c->main_part[0] &&
            qms_zip_has(c->zip, rel->target))
            snprintf(c->main_part, sizeof c->main_part, "%s", rel->target);
        else if (rel_type_is(rel->type, "core-properties"))
            core = rel->target;
        else if (rel_type_is(rel->type, "extended-properties"))
            app = rel->target;
        else if (rel_type_is(rel->type, "custom-properties"))
            custom = rel->target;
    }
    if (!c->main_part[0]) {
        if (!qms_zip_has(c->zip, "word/document.xml")) {
            rels_free(&pkg);
            return qms_err_set(c->err, QMS_EFORMAT,
                               "no word/document.xml in the package (not a Word document)");
        }
        snprintf(c->main_part, sizeof c->main_part, "word/document.xml");
    }
    if (!core && qms_zip_has(c->zip, "docProps/core.xml"))
        core = "docProps/core.xml";
    if (!app && qms_zip_has(c->zip, "docProps/app.xml"))
        app = "docProps/app.xml";
    if (!custom && qms_zip_has(c->zip, "docProps/custom.xml"))
        custom = "docProps/custom.xml";
    if (qms_zip_has(c->zip, "word/vbaProject.bin"))
        c->b.doc->flags |= QMS_DOC_MACRO_ENABLED;

    rc = read_rels(c, c->main_part, &c->doc_rels);
    const char *styles_part = NULL;
    for (size_t i = 0; !rc && i < c->doc_rels.len; i++) {
        const struct rel *rel = &c->doc_rels.items[i];
        if (!rel->external && rel_type_is(rel->type, "styles"))
            styles_part = rel->target;
        if (!rel->external && rel_type_is(rel->type, "vbaProject"))
            c->b.doc->flags |= QMS_DOC_MACRO_ENABLED;
    }
    if (!rc && styles_part)
        rc = soft(read_styles(c, styles_part));

    if (!rc)
        rc = read_story(c, c->main_part, PART_BODY, &c->doc_rels, 1);
    if (!rc && !(c->main_part_copy = qms_arena_strdup(c->b.arena, c->main_part)))
        rc = oom(c);
    if (!rc && c->n_anchors > 1)
        qsort(c->anchors, c->n_anchors, sizeof *c->anchors, anchor_cmp);

    /* Headers, footers, notes, comments: in relationship order, each with its own rels. */
    static const struct {
        const char *type;
        enum part_kind kind;
    } stories[] = {{"header", PART_HEADER},   {"footer", PART_FOOTER},
                   {"footnotes", PART_NOTES}, {"endnotes", PART_NOTES},
                   {"comments", PART_COMMENTS}};
    /* A part named by several relationships is read once: 100,000 rels naming the same
     * header would otherwise parse it 100,000 times. */
    unsigned char *seen = NULL;
    if (!rc && c->doc_rels.len && !(seen = story_duplicates(&c->doc_rels)))
        rc = oom(c);
    for (size_t s = 0; !rc && s < sizeof stories / sizeof stories[0]; s++) {
        for (size_t i = 0; !rc && i < c->doc_rels.len; i++) {
            const struct rel *rel = &c->doc_rels.items[i];
            if (seen[i] || rel->external || !rel_type_is(rel->type, stories[s].type) ||
                !qms_zip_has(c->zip, rel->target))
                continue;
            struct rels part_rels = {0};
            rc = read_rels(c, rel->target, &part_rels);
            if (!rc) {
                c->b.section = NULL; /* headers and notes are not under the body's last heading */
                rc = soft(read_story(c, rel->target, stories[s].kind, &part_rels, 0));
            }
            rels_free(&part_rels);
        }
    }
    free(seen);
    if (!rc && core)
        rc = soft(read_props(c, core, PROPS_CORE));
    if (!rc && app)
        rc = soft(read_props(c, app, PROPS_APP));
    if (!rc && custom)
        rc = soft(read_props(c, custom, PROPS_CUSTOM));
    rels_free(&pkg);
    return rc;
}

int qms_docx_read(struct qms_doc **out, const char *path, const char *data, size_t len,
                  const struct qms_limits *limits, struct qms_err *err)
{
    *out = NULL;
    struct qms_limits defaults;
    if (!limits) {
        qms_limits_default(&defaults);
        limits = &defaults;
    }
    struct ctx *c = calloc(1, sizeof *c);
    if (!c)
        return qms_err_set(err, QMS_ENOMEM, "out of memory");
    c->limits = limits;
    c->err = err;
    int rc = qms_zip_open(&c->zip, data, len, limits, err);
    if (rc) {
        free(c);
        return rc;
    }
    rc = qms_docb_init(&c->b, path, QMS_FORMAT_DOCX, limits);
    if (rc) {
        qms_zip_close(c->zip);
        free(c);
        return qms_err_set(err, rc, "out of memory");
    }
    if (path && (ext_is(path, ".docm") || ext_is(path, ".dotm")))
        c->b.doc->flags |= QMS_DOC_MACRO_ENABLED;
    if (path && (ext_is(path, ".dotx") || ext_is(path, ".dotm")))
        c->b.doc->flags |= QMS_DOC_TEMPLATE;

    rc = read_package(c);
    part_reset(c);
    free(c->frames);
    free(c->anchors);
    rels_free(&c->doc_rels);
    styles_free(&c->styles);
    qms_zip_close(c->zip);
    if (rc) {
        qms_docb_abort(&c->b);
        free(c);
        return rc;
    }
    rc = qms_docb_finish(&c->b, out);
    free(c);
    return rc;
}
