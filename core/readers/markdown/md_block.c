/*
 * The block scanner of the Markdown reader (see md_internal.h): the block structure of
 * ordinary documents in one pass over the lines, so that tree-sitter's block grammar, which
 * reads about 6 MB/s, only runs for the rest. It gives up on the whole document at the first
 * line it is not certain to read as the grammar does; what it accepts, the differential test
 * (tests/unit/markdown/test_fastpath.c) and fuzz_markdown check against the grammar.
 */
#include "md_internal.h"

#include <stdlib.h>
#include <string.h>

struct scan {
    const char *s;
    uint32_t len;
    struct qms_mdb *v;
    size_t n, cap;
    int oom;
};

static void emit(struct scan *sc, enum qms_mdb_kind kind, uint32_t level, uint32_t off, uint32_t a,
                 uint32_t b)
{
    if (sc->oom)
        return;
    if (sc->n == sc->cap) {
        size_t ncap = sc->cap ? sc->cap * 2 : 64;
        struct qms_mdb *nv = realloc(sc->v, ncap * sizeof *nv);
        if (!nv) {
            sc->oom = 1;
            return;
        }
        sc->v = nv;
        sc->cap = ncap;
    }
    struct qms_mdb *e = &sc->v[sc->n++];
    e->kind = kind;
    e->level = level;
    e->off = off;
    e->a = a;
    e->b = b;
}

/* The end of the line starting at i (its '\n', or len). */
static uint32_t line_end(const struct scan *sc, uint32_t i)
{
    const char *nl = memchr(sc->s + i, '\n', sc->len - i);
    return nl ? (uint32_t)(nl - sc->s) : sc->len;
}

static int has_byte(const struct scan *sc, uint32_t a, uint32_t b, char c)
{
    return b > a && memchr(sc->s + a, c, b - a) != NULL;
}

static uint32_t count_byte(const struct scan *sc, uint32_t a, uint32_t b, char c)
{
    uint32_t n = 0;
    for (uint32_t i = a; i < b; i++)
        n += sc->s[i] == c;
    return n;
}

/* Whether x is followed by y somewhere in [a, b). */
static int has_pair(const struct scan *sc, uint32_t a, uint32_t b, char x, char y)
{
    for (uint32_t k = a; k + 1 < b; k++)
        if (sc->s[k] == x && sc->s[k + 1] == y)
            return 1;
    return 0;
}

/* The first byte of [ls, le) that is not a space (le when none). */
static uint32_t skip_spaces(const struct scan *sc, uint32_t i, uint32_t le)
{
    while (i < le && sc->s[i] == ' ')
        i++;
    return i;
}

/* "#".."######" followed by a space or the line end: the level; 0 when not a heading; -1 when
 * the marker is followed by a tab (left to the grammar). */
static int atx_level(const struct scan *sc, uint32_t i, uint32_t le)
{
    uint32_t h = 0;
    while (i + h < le && sc->s[i + h] == '#')
        h++;
    if (h == 0 || h > 6)
        return 0;
    if (i + h == le || sc->s[i + h] == ' ')
        return (int)h;
    return sc->s[i + h] == '\t' ? -1 : 0;
}

/* The length of the run of c at i. */
static uint32_t run_of(const struct scan *sc, uint32_t i, uint32_t le, char c)
{
    uint32_t j = i;
    while (j < le && sc->s[j] == c)
        j++;
    return j - i;
}

/* "---", "***", "___" (three or more, nothing else but trailing spaces). */
static int thematic_break(const struct scan *sc, uint32_t ls, uint32_t le)
{
    char c = sc->s[ls];
    uint32_t n = run_of(sc, ls, le, c);
    return n >= 3 && skip_spaces(sc, ls + n, le) == le;
}

/* An ordered list marker: up to nine digits, then '.' or ')'. */
static int ordered_marker(const struct scan *sc, uint32_t i, uint32_t le)
{
    uint32_t j = i;
    while (j < le && j - i < 10 && sc->s[j] >= '0' && sc->s[j] <= '9')
        j++;
    return j > i && j < le && (sc->s[j] == '.' || sc->s[j] == ')');
}

/* A line of only c and blanks: a thematic break or setext underline, perhaps. */
static int only_run_of(const struct scan *sc, uint32_t i, uint32_t le, char c)
{
    for (; i < le; i++)
        if (sc->s[i] != c && sc->s[i] != ' ' && sc->s[i] != '\t')
            return 0;
    return 1;
}

/* A line starting with '-', '*', '+' or '_' that is plain text: not a list item (marker, then
 * a blank or the line end; '_' makes none), not a break or underline (only markers and blanks). */
static int marker_text(const struct scan *sc, uint32_t i, uint32_t le)
{
    char c = sc->s[i];
    if (only_run_of(sc, i, le, c))
        return 0;
    return c == '_' || (i + 1 < le && sc->s[i + 1] != ' ' && sc->s[i + 1] != '\t');
}

/* Only '-', '|', ':' and blanks: a table's delimiter row, perhaps. */
static int delimiter_like(const struct scan *sc, uint32_t i, uint32_t le)
{
    for (; i < le; i++)
        if (!strchr("-|: \t", sc->s[i]))
            return 0;
    return 1;
}

/* "<!--" at ls: an HTML comment block up to the end of the line holding "-->" (1), or 0 when
 * the comment is not closed or is one of the odd forms "<!-->", "<!--->". */
static uint32_t comment_block(struct scan *sc, uint32_t ls)
{
    const char *s = sc->s;
    uint32_t i = ls + 2;
    for (; i + 2 < sc->len; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
            break;
    if (i + 2 >= sc->len || i < ls + 4)
        return 0;
    uint32_t e = line_end(sc, i);
    uint32_t next = e < sc->len ? e + 1 : e;
    emit(sc, QMS_MDB_HTML, 0, ls, ls, next);
    return next;
}

enum cont { CONT_YES, CONT_END, CONT_GIVE_UP };

/* Whether the non-blank line [ls, le) continues the paragraph before it. */
static enum cont continues_paragraph(const struct scan *sc, uint32_t ls, uint32_t le)
{
    uint32_t i = skip_spaces(sc, ls, le);
    unsigned char c = (unsigned char)sc->s[i];
    if (c == '\t' || c < 0x20)
        return CONT_GIVE_UP;
    /* even behind four blanks, a line that could start a block is left to the grammar: it
       lets "    ~~~" interrupt a paragraph */
    if (c == '#') {
        int lvl = atx_level(sc, i, le);
        if (lvl < 0 || (lvl > 0 && i > ls))
            return CONT_GIVE_UP;
        return lvl > 0 ? CONT_END : CONT_YES;
    }
    if (c == '`' || c == '~')
        return run_of(sc, i, le, (char)c) >= 3 ? CONT_GIVE_UP : CONT_YES;
    if (c == '<' && i == ls && le - i >= 4 && memcmp(sc->s + i, "<!--", 4) == 0)
        return CONT_END; /* an HTML comment interrupts a paragraph */
    if (c == '-' && delimiter_like(sc, i, le))
        return CONT_GIVE_UP; /* the delimiter row of a table without outer pipes */
    if ((c == '-' || c == '*' || c == '+' || c == '_') && marker_text(sc, i, le))
        return CONT_YES;
    if (strchr(">-*+_=<|:$", c))
        return CONT_GIVE_UP; /* quotes, lists, breaks, setext underlines, HTML, tables */
    if (c >= '0' && c <= '9' && ordered_marker(sc, i, le))
        return CONT_GIVE_UP;
    if (c == '[' && has_pair(sc, i, le, ']', ':'))
        return CONT_GIVE_UP; /* the grammar's reading of definitions is its own */
    return CONT_YES;
}

/* "===" or "---" (three or more, then only spaces) under a paragraph: 1 or 2, else 0. */
static uint32_t setext_underline(const struct scan *sc, uint32_t i, uint32_t le)
{
    char c = sc->s[i];
    if (c != '=' && c != '-')
        return 0;
    uint32_t n = run_of(sc, i, le, c);
    if (n < 3 || skip_spaces(sc, i + n, le) != le)
        return 0;
    return c == '=' ? 1 : 2;
}

/* A paragraph from the line at ls: returns the start of the line after it, or 0 to give up. */
static uint32_t paragraph(struct scan *sc, uint32_t ls)
{
    uint32_t le = line_end(sc, ls), last_end = le;
    uint32_t i = le < sc->len ? le + 1 : le;
    while (i < sc->len) {
        uint32_t e = line_end(sc, i);
        uint32_t f = skip_spaces(sc, i, e);
        if (f == e)
            break; /* a blank line */
        uint32_t level = setext_underline(sc, i, e);
        if (level) {
            /* "a|b\n---" might be a table to the grammar */
            if (has_byte(sc, ls, last_end, '|'))
                return 0;
            uint32_t b = last_end;
            while (b > ls && (sc->s[b - 1] == ' ' || sc->s[b - 1] == '\t'))
                b--;
            emit(sc, QMS_MDB_SETEXT, level, ls, ls, b);
            return e < sc->len ? e + 1 : e;
        }
        enum cont c = continues_paragraph(sc, i, e);
        if (c == CONT_GIVE_UP)
            return 0;
        if (c == CONT_END)
            break;
        last_end = e;
        i = e < sc->len ? e + 1 : e;
    }
    uint32_t b = last_end;
    while (b > ls && (sc->s[b - 1] == ' ' || sc->s[b - 1] == '\t'))
        b--;
    emit(sc, QMS_MDB_PARAGRAPH, 0, ls, ls, b);
    return i;
}

static int heading(struct scan *sc, uint32_t ls, uint32_t le, int level)
{
    if (has_byte(sc, ls, le, '\t'))
        return 0;
    uint32_t a = skip_spaces(sc, ls + (uint32_t)level, le), b = le;
    while (b > a && sc->s[b - 1] == ' ')
        b--;
    if (b > a && run_of(sc, a, b, '#') == b - a)
        return 0; /* only closing hashes */
    if (b <= a)
        a = b = 0;
    emit(sc, QMS_MDB_HEADING, (uint32_t)level, ls, a, b);
    return 1;
}

/* A fenced code block opened at ls: the start of the line after it, or 0 to give up. */
static uint32_t fenced_code(struct scan *sc, uint32_t ls, uint32_t le)
{
    char c = sc->s[ls];
    uint32_t n = run_of(sc, ls, le, c);
    if (has_byte(sc, ls, le, '\t') || (c == '`' && has_byte(sc, ls + n, le, '`')))
        return 0;
    uint32_t content = le + 1, i = content;
    while (i < sc->len) {
        uint32_t e = line_end(sc, i);
        uint32_t f = skip_spaces(sc, i, e);
        if (f > i && f < e && sc->s[f] == c)
            return 0; /* perhaps an indented closing fence */
        uint32_t r = run_of(sc, i, e, c);
        if (r >= n && skip_spaces(sc, i + r, e) == e) {
            if (i + r != e)
                return 0; /* the grammar does not close a fence followed by blanks */
            emit(sc, QMS_MDB_CODE, 0, ls, content, i);
            return e < sc->len ? e + 1 : e;
        }
        /* the grammar closes the fence at a long enough run anywhere in a line ("abc~~~") */
        for (uint32_t k = i; k < e; k++)
            if (sc->s[k] == c && run_of(sc, k, e, c) >= n)
                return 0;
        i = e < sc->len ? e + 1 : e;
    }
    return 0; /* never closed */
}

/* The cells of a table line [ls, le) that starts with '|': pipes and cells emitted when
 * `out`, the number of cells in *n_cells. 0 to give up. */
static int table_line(struct scan *sc, uint32_t ls, uint32_t le, int out, uint32_t *n_cells)
{
    if (has_byte(sc, ls, le, '\t') || has_byte(sc, ls, le, '\\'))
        return 0;
    uint32_t cells = 0, p = ls;
    if (out)
        emit(sc, QMS_MDB_PIPE, 0, p, 0, 0);
    for (;;) {
        const char *q = memchr(sc->s + p + 1, '|', le - p - 1);
        uint32_t qe = q ? (uint32_t)(q - sc->s) : le;
        uint32_t a = skip_spaces(sc, p + 1, qe);
        if (q) {
            if (a == qe)
                return 0; /* an empty cell: "||", "| |" */
            if (out) {
                emit(sc, QMS_MDB_CELL, 0, a, a, qe);
                emit(sc, QMS_MDB_PIPE, 0, qe, 0, 0);
            }
            cells++;
            p = qe;
            continue;
        }
        uint32_t b = le;
        while (b > a && sc->s[b - 1] == ' ')
            b--;
        if (b > a) {
            if (out)
                emit(sc, QMS_MDB_CELL, 0, a, a, b);
            cells++;
        }
        break;
    }
    *n_cells = cells;
    return cells > 0;
}

/* "|---|:--:|" with one or more cells: their number, or 0. */
static uint32_t delimiter_row(const struct scan *sc, uint32_t ls, uint32_t le)
{
    if (sc->s[ls] != '|')
        return 0;
    uint32_t cells = 0, i = ls + 1;
    while (i < le) {
        i = skip_spaces(sc, i, le);
        if (i == le)
            break; /* spaces after the last pipe */
        if (sc->s[i] == ':')
            i++;
        uint32_t d = run_of(sc, i, le, '-');
        if (!d)
            return 0;
        i += d;
        if (i < le && sc->s[i] == ':')
            i++;
        i = skip_spaces(sc, i, le);
        if (i < le && sc->s[i] != '|')
            return 0;
        cells++;
        if (i < le)
            i++;
    }
    return cells;
}

/* A pipe table whose header is the line at ls: the start of the line after it, or 0. */
static uint32_t pipe_table(struct scan *sc, uint32_t ls, uint32_t le)
{
    if (le >= sc->len)
        return 0;
    uint32_t ds = le + 1, de = line_end(sc, ds);
    uint32_t header_cells = 0, delim_cells = delimiter_row(sc, ds, de);
    if (!delim_cells || !table_line(sc, ls, le, 0, &header_cells) || header_cells != delim_cells)
        return 0;
    /* the grammar wants two pipes in each ("|a\n|-|" is a paragraph) */
    if (count_byte(sc, ls, le, '|') < 2 || count_byte(sc, ds, de, '|') < 2)
        return 0;
    emit(sc, QMS_MDB_TABLE, 0, ls, 0, 0);
    emit(sc, QMS_MDB_ROW, 1, ls, 0, 0);
    table_line(sc, ls, le, 1, &header_cells);
    emit(sc, QMS_MDB_ROW_END, 0, ls, 0, 0);
    uint32_t i = de < sc->len ? de + 1 : de;
    while (i < sc->len) {
        uint32_t e = line_end(sc, i), n;
        if (skip_spaces(sc, i, e) == e)
            break;
        if (sc->s[i] != '|' || delimiter_like(sc, i, e))
            return 0;
        /* a row followed by a delimiter row starts another table */
        if (e < sc->len && e + 1 < sc->len && delimiter_like(sc, e + 1, line_end(sc, e + 1)) &&
            skip_spaces(sc, e + 1, line_end(sc, e + 1)) < line_end(sc, e + 1))
            return 0;
        emit(sc, QMS_MDB_ROW, 0, i, 0, 0);
        if (!table_line(sc, i, e, 1, &n))
            return 0;
        emit(sc, QMS_MDB_ROW_END, 0, i, 0, 0);
        i = e < sc->len ? e + 1 : e;
    }
    emit(sc, QMS_MDB_TABLE_END, 0, ls, 0, 0);
    return i;
}

/* ---- lists ---- */

/* Text that can only be paragraph text, at the start of a list item's content. */
static int plain_start(const struct scan *sc, uint32_t i, uint32_t le)
{
    unsigned char c = (unsigned char)sc->s[i];
    if (i >= le || c == ' ' || c == '\t' || c < 0x20 || strchr("#`~><|[:$=\\", c))
        return 0;
    if (strchr("-*+_", c))
        return marker_text(sc, i, le) && !delimiter_like(sc, i, le);
    if (c >= '0' && c <= '9' && ordered_marker(sc, i, le))
        return 0;
    return 1;
}

/* A list item marker at i followed by one space and content: its width with the space, its
 * kind ('-', '*', '+', or the '.' / ')' of an ordered marker) and whether its number is 1. */
static uint32_t item_marker(const struct scan *sc, uint32_t i, uint32_t le, char *kind, int *one)
{
    const char *s = sc->s;
    uint32_t w;
    if (s[i] == '-' || s[i] == '*' || s[i] == '+') {
        *kind = s[i];
        *one = 0;
        w = 1;
    } else {
        uint32_t j = i;
        while (j < le && j - i < 10 && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == i || j - i > 9 || j >= le || (s[j] != '.' && s[j] != ')'))
            return 0;
        *kind = s[j];
        *one = j - i == 1 && s[i] == '1';
        w = j + 1 - i;
    }
    if (i + w + 1 >= le || s[i + w] != ' ' || s[i + w + 1] == ' ' || s[i + w + 1] == '\t')
        return 0;
    return w + 1;
}

#define MAX_ITEMS 16

struct item {
    uint32_t mcol, w; /* the marker's column, the content's */
    char kind;
};

/* The open paragraph of a list item and the continuations of its lines. */
struct lpara {
    int open;
    uint32_t level, a, b;
    uint32_t *cont; /* pairs start, end */
    size_t n_cont, cap_cont;
};

static void lpara_close(struct scan *sc, struct lpara *p)
{
    if (!p->open)
        return;
    emit(sc, QMS_MDB_PARAGRAPH, p->level, p->a, p->a, p->b);
    for (size_t k = 0; k < p->n_cont; k++)
        emit(sc, QMS_MDB_CONT, 0, p->cont[2 * k], p->cont[2 * k], p->cont[2 * k + 1]);
    p->open = 0;
    p->n_cont = 0;
}

static void lpara_open(struct scan *sc, struct lpara *p, uint32_t level, uint32_t a, uint32_t le)
{
    lpara_close(sc, p);
    p->open = 1;
    p->level = level;
    p->a = a;
    p->b = le;
    while (p->b > a && (sc->s[p->b - 1] == ' ' || sc->s[p->b - 1] == '\t'))
        p->b--;
}

static int lpara_continue(struct scan *sc, struct lpara *p, uint32_t ls, uint32_t w, uint32_t le)
{
    if (p->n_cont == p->cap_cont) {
        size_t ncap = p->cap_cont ? p->cap_cont * 2 : 16;
        uint32_t *nc = realloc(p->cont, ncap * 2 * sizeof *nc);
        if (!nc) {
            sc->oom = 1;
            return 0;
        }
        p->cont = nc;
        p->cap_cont = ncap;
    }
    p->cont[2 * p->n_cont] = ls;
    p->cont[2 * p->n_cont++ + 1] = ls + w;
    p->b = le;
    while (p->b > ls && (sc->s[p->b - 1] == ' ' || sc->s[p->b - 1] == '\t'))
        p->b--;
    return 1;
}

/*
 * A list whose first item's marker is at ls: items of paragraphs and nested lists, every
 * marker exactly at its parent's content column, no lazy continuation lines. The start of the
 * line after it, or 0 to give up.
 */
static uint32_t list_lines(struct scan *sc, uint32_t ls, struct lpara *p)
{
    struct item st[MAX_ITEMS];
    int depth = 0, blank_before = 0;
    uint32_t i = ls;
    while (i < sc->len && !sc->oom) {
        uint32_t le = line_end(sc, i), next = le < sc->len ? le + 1 : le;
        uint32_t f = skip_spaces(sc, i, le);
        if (f == le) {
            lpara_close(sc, p);
            blank_before = 1;
            i = next;
            continue;
        }
        if (sc->s[f] == '\t' || (unsigned char)sc->s[f] < 0x20)
            return 0;
        uint32_t ind = f - i;
        char kind;
        int one;
        uint32_t mw = item_marker(sc, f, le, &kind, &one);
        if (mw && !only_run_of(sc, f, le, sc->s[f])) {
            int k = depth - 1;
            while (k >= 0 && st[k].mcol != ind)
                k--;
            if (k >= 0) {
                if (st[k].kind != kind && !blank_before)
                    return 0; /* another list right after: left to the grammar */
                depth = k + 1;
            } else if (depth == 0 || (depth > 0 && ind == st[depth - 1].w)) {
                if (depth == MAX_ITEMS || (depth > 0 && kind != '-' && kind != '*' && kind != '+' &&
                                           !one))
                    return 0;
                depth++;
            } else {
                return 0;
            }
            st[depth - 1].mcol = ind;
            st[depth - 1].w = ind + mw;
            st[depth - 1].kind = kind;
            if (!plain_start(sc, f + mw, le))
                return 0;
            lpara_open(sc, p, (uint32_t)depth, f + mw, le);
            blank_before = 0;
            i = next;
            continue;
        }
        if (ind < st[0].w) {
            if (!blank_before)
                return 0; /* a lazy continuation line */
            return i;     /* the list is over */
        }
        int k = depth - 1;
        while (k > 0 && st[k].w > ind)
            k--;
        if (!blank_before) {
            if (!p->open || k != depth - 1 || continues_paragraph(sc, i, le) != CONT_YES)
                return 0;
            if (!lpara_continue(sc, p, i, st[k].w, le))
                return 0;
        } else {
            if (ind != st[k].w || !plain_start(sc, f, le))
                return 0;
            depth = k + 1;
            lpara_open(sc, p, (uint32_t)depth, f, le);
            blank_before = 0;
        }
        i = next;
    }
    lpara_close(sc, p);
    return i;
}

static uint32_t list(struct scan *sc, uint32_t ls)
{
    struct lpara p;
    memset(&p, 0, sizeof p);
    uint32_t next = list_lines(sc, ls, &p);
    free(p.cont);
    return next;
}

/* The block starting on the non-blank line at ls: the start of the line after it, or 0. */
static uint32_t block(struct scan *sc, uint32_t ls)
{
    uint32_t le = line_end(sc, ls);
    unsigned char c = (unsigned char)sc->s[ls];
    char kind;
    int one;
    if ((c == '-' || c == '*' || c == '+' || (c >= '0' && c <= '9')) &&
        item_marker(sc, ls, le, &kind, &one) && !only_run_of(sc, ls, le, (char)c) &&
        !(ls == 0 && c == '+'))
        return list(sc, ls);
    switch (c) {
    case '#': {
        int lvl = atx_level(sc, ls, le);
        if (lvl < 0)
            return 0;
        if (lvl > 0)
            return heading(sc, ls, le, lvl) ? (le < sc->len ? le + 1 : le) : 0;
        break;
    }
    case '`':
    case '~':
        if (run_of(sc, ls, le, (char)c) >= 3)
            return fenced_code(sc, ls, le);
        break;
    case '-':
    case '*':
    case '_':
        /* a "---" first line the front matter reader did not take is left to the grammar */
        if (ls > 0 && thematic_break(sc, ls, le))
            return le < sc->len ? le + 1 : le;
        if (marker_text(sc, ls, le) && !delimiter_like(sc, ls, le))
            break;
        return 0;
    case '<':
        if (le - ls >= 4 && memcmp(sc->s + ls, "<!--", 4) == 0)
            return comment_block(sc, ls);
        return 0;
    case '+':
        if (ls == 0 || !marker_text(sc, ls, le))
            return 0; /* "+++" front matter, list items */
        break;
    case '|':
        return pipe_table(sc, ls, le);
    case '>': case '=': case ':': case '$': case ' ': case '\t':
    case '[': /* reference definitions: the grammar's reading of them is its own */
        return 0;
    default:
        if (c < 0x20)
            return 0;
        if (c >= '0' && c <= '9' && ordered_marker(sc, ls, le))
            return 0;
        break;
    }
    return paragraph(sc, ls);
}

int qms_md_scan_blocks(struct qms_mdb **out, size_t *n_out, const char *src, uint32_t len)
{
    struct scan sc;
    memset(&sc, 0, sizeof sc);
    sc.s = src;
    sc.len = len;
    *out = NULL;
    *n_out = 0;
    uint32_t i = 0;
    while (i < len && !sc.oom) {
        uint32_t le = line_end(&sc, i);
        uint32_t f = skip_spaces(&sc, i, le);
        if (f == le) {
            i = le < len ? le + 1 : le;
            continue;
        }
        if (src[f] == '\t') {
            free(sc.v);
            return 0;
        }
        uint32_t next = block(&sc, i);
        if (!next) {
            free(sc.v);
            return 0;
        }
        i = next;
    }
    if (sc.oom) {
        free(sc.v);
        return QMS_ENOMEM;
    }
    *out = sc.v;
    *n_out = sc.n;
    return 1;
}
