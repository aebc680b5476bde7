#!/usr/bin/env python3
"""Writes a realistic mixed QMS document set for benchmarks: a third each DOCX, ODT and
Markdown, with controlled-document headers, revision-history tables, cross-references
between documents and 2-10 pages of procedure text each. Deterministic for a seed.

    bench/gen_set.py N OUTDIR [--seed S]
"""
import argparse
import os
import random
import zipfile
from xml.sax.saxutils import escape

TYPES = [("QP", "procedure", "Procedure"), ("WI", "work instruction", "Work Instruction"),
         ("FRM", "form", "Form"), ("QM", "manual", "Quality Manual")]
TOPICS = ["Document Control", "Internal Audit", "Calibration", "Supplier Evaluation",
          "Nonconforming Output", "Corrective Action", "Management Review", "Training",
          "Design Review", "Final Inspection", "Customer Complaints", "Risk Assessment",
          "Change Control", "Purchasing", "Preservation", "Traceability"]
WORDS = ("the operator shall record each result on the traveller and the quality manager "
         "reviews the record before release of the product to the customer where a deviation "
         "is found the item is segregated labelled and reported within one working day the "
         "responsible lead verifies that the measuring equipment is calibrated and in date "
         "and that the acceptance criteria of the drawing are met documented information is "
         "retained for three years in the controlled archive").split()
SECTIONS = ["Purpose", "Scope", "Responsibilities", "Procedure", "References", "Records"]
PAGE_WORDS = 450


def doc_id(i):
    prefix = TYPES[i % len(TYPES)][0]
    return f"{prefix}-{i:05d}"


def paragraphs(rng, pages):
    out = []
    total = pages * PAGE_WORDS
    while total > 0:
        n = rng.randint(30, 90)
        out.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        total -= n
    return out


def content(i, n, rng):
    did = doc_id(i)
    kind = TYPES[i % len(TYPES)]
    title = f"{rng.choice(TOPICS)} {kind[2]}"
    rev = rng.randint(1, 9)
    pages = rng.randint(2, 10)
    body = paragraphs(rng, pages)
    per = max(1, len(body) // len(SECTIONS))
    sections = []
    for k, name in enumerate(SECTIONS):
        chunk = body[k * per:(k + 1) * per] if k < len(SECTIONS) - 1 else body[k * per:]
        if name == "References":
            refs = [doc_id(rng.randrange(n)) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.05:
                refs.append(f"QP-{n + rng.randint(1, 99):05d}")  # a dangling reference
            chunk = [f"See {r} Rev {rng.randint(1, 9)}." for r in refs] + chunk[:1]
        sections.append((name, chunk))
    history = [(r, f"20{15 + r:02d}-0{1 + r % 9}-1{r % 9}", "Revised" if r > 1 else "First issue")
               for r in range(1, rev + 1)]
    return dict(id=did, title=title, type=kind[1], rev=rev, sections=sections, history=history,
                approver=rng.choice(["J. Smith", "K. Lee", "M. Garcia", "TBD"]))


def write_md(path, d):
    lines = ["---", f"id: {d['id']}", f"title: {d['title']}", f"revision: \"{d['rev']:02d}\"",
             "status: Approved", "effective_date: 2024-05-01", f"approver: {d['approver']}",
             f"type: {d['type']}", "---", "", f"# {d['id']} {d['title']}", ""]
    for n, (name, paras) in enumerate(d["sections"], 1):
        lines += [f"## {n}. {name}", ""]
        for p in paras:
            lines += [p, ""]
    lines += ["## Revision history", "", "| Rev | Date | Description |", "|---|---|---|"]
    lines += [f"| {r:02d} | {dt} | {desc} |" for r, dt, desc in d["history"]]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def w_p(text, style=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    # Split long runs the way Word does (rsid boundaries) so run joining is exercised.
    t = escape(text)
    half = len(t) // 2
    while half < len(t) and t[half] != " ":
        half += 1
    return (f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{t[:half]}</w:t></w:r>"
            f"<w:r><w:t xml:space=\"preserve\">{t[half:]}</w:t></w:r></w:p>")


def write_docx(path, d):
    body = [w_p(f"{d['id']} {d['title']}", "Title")]
    for n, (name, paras) in enumerate(d["sections"], 1):
        body.append(w_p(f"{n}. {name}", "Heading1"))
        body += [w_p(p) for p in paras]
    body.append(w_p("Revision history", "Heading1"))
    rows = [("Rev", "Date", "Description")] + [(f"{r:02d}", dt, desc) for r, dt, desc in d["history"]]
    tbl = "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>" + "".join(
        "<w:tr>" + "".join(f"<w:tc>{w_p(c)}</w:tc>" for c in row) + "</w:tr>" for row in rows) + "</w:tbl>"
    body.append(tbl)
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>'
           + "".join(body) + '<w:sectPr><w:headerReference w:type="default" r:id="rId2"/></w:sectPr></w:body></w:document>')
    header = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W}>'
              + w_p(f"Doc No: {d['id']}   Rev: {d['rev']:02d}   Approved by: {d['approver']}") + "</w:hdr>")
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}>'
              '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
              '<w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>')
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
          '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
          '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>')
    drels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>')
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="DocumentID"><vt:lpwstr>{d["id"]}</vt:lpwstr></property>'
              f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="3" name="Revision"><vt:lpwstr>{d["rev"]:02d}</vt:lpwstr></property>'
              '</Properties>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/_rels/document.xml.rels", drels),
                           ("word/document.xml", doc), ("word/styles.xml", styles), ("word/header1.xml", header),
                           ("docProps/custom.xml", custom)]:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


O = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
     'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
     'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
     'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
     'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
     'xmlns:dc="http://purl.org/dc/elements/1.1/" '
     'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"')


def write_odt(path, d):
    body = [f'<text:p text:style-name="Title">{escape(d["id"] + " " + d["title"])}</text:p>']
    for n, (name, paras) in enumerate(d["sections"], 1):
        body.append(f'<text:h text:outline-level="1">{n}. {escape(name)}</text:h>')
        body += [f"<text:p>{escape(p)}</text:p>" for p in paras]
    body.append('<text:h text:outline-level="1">Revision history</text:h>')
    rows = [("Rev", "Date", "Description")] + [(f"{r:02d}", dt, desc) for r, dt, desc in d["history"]]
    body.append('<table:table><table:table-column table:number-columns-repeated="3"/>' + "".join(
        "<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in row)
        + "</table:table-row>" for row in rows) + "</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {O} office:version="1.3">'
               "<office:body><office:text>" + "".join(body) + "</office:text></office:body></office:document-content>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {O} office:version="1.3">'
              # office:styles as LibreOffice writes it (pandoc refuses a styles.xml without it)
              '<office:styles><style:default-style style:family="paragraph"/></office:styles>'
              '<office:automatic-styles/><office:master-styles>'
              f'<style:master-page style:name="Standard"><style:header><text:p>Doc No: {d["id"]}   Rev: {d["rev"]:02d}</text:p></style:header></style:master-page>'
              "</office:master-styles></office:document-styles>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {O} office:version="1.3"><office:meta>'
            f'<dc:title>{escape(d["title"])}</dc:title><meta:user-defined meta:name="DocumentID">{d["id"]}</meta:user-defined>'
            f'<meta:user-defined meta:name="Revision">{d["rev"]:02d}</meta:user-defined></office:meta></office:document-meta>')
    manifest = (f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest {O} manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", (2024, 1, 1, 0, 0, 0)), "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        for name, data in [("content.xml", content), ("styles.xml", styles), ("meta.xml", meta), ("META-INF/manifest.xml", manifest)]:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=9001)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    for i in range(a.n):
        rng = random.Random(a.seed * 1_000_003 + i)
        d = content(i, a.n, rng)
        sub = os.path.join(a.outdir, f"{i // 1000:03d}")
        os.makedirs(sub, exist_ok=True)
        base = os.path.join(sub, f"{d['id']}_{d['title'].replace(' ', '_')}")
        (write_md, write_docx, write_odt)[i % 3](base + (".md", ".docx", ".odt")[i % 3], d)


if __name__ == "__main__":
    main()
