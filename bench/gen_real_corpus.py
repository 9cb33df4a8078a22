#!/usr/bin/env python3
"""A realistic team-handbook corpus: what handbooks moved to binder from other tools contain.

Usage:
    gen_real_corpus.py --pages N --out DIR [--seed S] [--front-matter foreign|binder] [--force]

Writes N articles under DIR/content/ (plus section pages and images). The same
(N, seed, mode, FORMAT_VERSION) always gives byte-identical files; the Python standard
library is the only dependency. Unlike gen_corpus.py (a clean, binder-shaped corpus), this
one has what issue 13 found in two real public handbooks:

- **No front matter** in about a third of the articles: the title is the first `# Heading`.
- **Foreign front-matter keys** (Hugo, Docusaurus and team-script keys: `weight`, `tags`,
  `categories`, `lastmod`, `upstream_path`, `status`, `owning-stage`, `toc_hide`,
  `twitter_image`, `sidebar_position`).
- **Folder conventions**: folders described by `_index.md` (folders with sub-folders, as
  Hugo needs), by `README.md` or by `index.md` (leaf folders, with their images beside them).
- **Links in every convention**: relative `.md` links, links to `README.md`, `index.md` and
  `_index.md` of folders, to folders themselves (`../values/`, `../values`), site-root links
  (`/values/` and `/handbook/values/`, the base_url being `https://handbook.example/handbook/`),
  links to headings with GitHub ids, percent-encoded Japanese anchors and `{#custom-id}`s.
- **Deep nesting** (up to six folder levels), **images** (`images/` folders and leaf-folder
  images), **non-ASCII headings** (Japanese, accented European), **long pages** (~3% have
  8,000-15,000 words and 60+ headings).
- **Genuinely broken links**, about 6% of N (300 at 5,000): missing files, renamed folders,
  missing anchors (many against the same `_index.md`, as in a real handbook).

`--front-matter binder` writes front matter binder accepts today (`title`, `date`,
`description`, `weight` only; every article has it), for comparing before the import work
lands; the bodies, links and files are the same in both modes.
"""

import argparse
import os
import random
import shutil
import sys
import urllib.parse

FORMAT_VERSION = 1

TOP = ["company", "engineering", "people", "product", "security", "support", "marketing", "finance"]
SUB = [
    "values", "onboarding", "infrastructure", "reliability", "runbooks", "hiring", "benefits",
    "roadmap", "design", "incident-management", "license_troubleshooting", "tooling",
    "communication", "leadership", "interviews", "travel", "compliance", "on-call",
    "data-team", "release-process", "accessibility", "documentation", "customer-success",
    "pricing", "brand", "budgets", "security-reviews", "vendor_management",
]
WORDS = (
    "team handbook process review merge request incident owner customer release issue "
    "meeting decision document policy service deploy metric goal feedback quarter plan "
    "manager engineer support ticket escalation priority workflow template label project "
    "budget approval access account pipeline runner cluster alert dashboard schedule"
).split()
JAPANESE = ["はじめに", "概要", "目的と範囲", "手順", "よくある質問", "連絡先", "価値観", "振り返り"]
ACCENTED = ["Résumé des étapes", "Über uns", "Qualité du service", "Año fiscal", "Prüfung", "Café et réunions"]
FOREIGN_KEYS = [
    ("upstream_path", lambda r, rel: f'"/source/{rel}"'),
    ("status", lambda r, rel: r.choice(["draft", "published", "review"])),
    ("owning-stage", lambda r, rel: f'"~devops::{r.choice(WORDS)}"'),
    ("toc_hide", lambda r, rel: r.choice(["true", "false"])),
    ("twitter_image", lambda r, rel: '"/images/social.png"'),
    ("categories", lambda r, rel: f"[{r.choice(WORDS)}]"),
    ("tags", lambda r, rel: f"[{r.choice(WORDS)}, {r.choice(WORDS)}]"),
    ("lastmod", lambda r, rel: f"2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}"),
    ("sidebar_position", lambda r, rel: str(r.randint(1, 40))),
]
# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def sentence(r):
    n = r.randint(8, 20)
    words = [r.choice(WORDS) for _ in range(n)]
    if r.random() < 0.2:
        words[r.randrange(n)] = f"`{r.choice(WORDS)}`"
    if r.random() < 0.2:
        words[r.randrange(n)] = f"**{r.choice(WORDS)}**"
    return " ".join(words).capitalize() + "."


def paragraph(r, k=None):
    return " ".join(sentence(r) for _ in range(k or r.randint(3, 6)))


class Folder:
    def __init__(self, rel, depth):
        self.rel = rel  # under content/, "" for the root
        self.depth = depth
        self.children = []
        self.articles = []  # file names
        self.index = None  # "_index.md" | "README.md" | "index.md"
        self.headings = {}  # file -> [(text, id)]


def build_tree(r, n_articles):
    root = Folder("", 0)
    folders = [root]
    target = max(8, n_articles // 12)
    for t in TOP:
        f = Folder(t, 1)
        root.children.append(f)
        folders.append(f)
    frontier = list(root.children)
    used = set()
    while len(folders) < target and frontier:
        parent = frontier.pop(0)
        for _ in range(r.randint(1, 4)):
            if len(folders) >= target:
                break
            name = r.choice(SUB)
            if parent.depth >= 3:
                name = f"{name}-{len(folders)}"
            rel = f"{parent.rel}/{name}"
            if rel in used:
                continue
            used.add(rel)
            f = Folder(rel, parent.depth + 1)
            parent.children.append(f)
            folders.append(f)
            if f.depth < 6:
                frontier.append(f)
    for f in folders:
        # Hugo needs `_index.md` where a folder has sub-folders; leaves use what teams use.
        if f.children or f.depth == 0:
            f.index = "_index.md"
        else:
            f.index = r.choice(["_index.md", "README.md", "index.md"])
    return root, folders


def headings_for(r, long_page):
    count = r.randint(60, 90) if long_page else r.randint(3, 8)
    out, seen = [], set()
    for i in range(count):
        roll = r.random()
        if roll < 0.1:
            text = r.choice(JAPANESE)
        elif roll < 0.18:
            text = r.choice(ACCENTED)
        else:
            text = f"{r.choice(WORDS).capitalize()} {r.choice(WORDS)} {i}"
        custom = None
        if r.random() < 0.08:
            custom = f"custom-{i}"
        if text in seen and not custom:
            continue
        seen.add(text)
        out.append((text, custom))
    return out


def github_id(text):
    slug = ""
    for c in text.lower():
        if c == " ":
            slug += "-"
        elif c.isalnum() or c in "-_":
            slug += c
    return slug


def anchor(text, custom, r):
    if custom:
        return custom
    a = github_id(text)
    if not a.isascii() and r.random() < 0.5:
        return urllib.parse.quote(a)  # copied from a browser's address bar
    return a


class Corpus:
    def __init__(self, n, seed, mode):
        self.r = random.Random(f"{seed}-{n}-{FORMAT_VERSION}")
        # Front matter draws from its own stream, so both modes get the same bodies and links.
        self.fm = random.Random(f"{seed}-{n}-{FORMAT_VERSION}-front-matter")
        self.n = n
        self.mode = mode
        self.root, self.folders = build_tree(self.r, n)
        self.leaves = [f for f in self.folders if f.depth > 0]
        # A folder described by `index.md` is a bundle (its page and images only), as Hugo
        # requires: other Markdown in it would be resources there, not pages.
        self.homes = [f for f in self.leaves if f.index != "index.md"]
        self.files = {}
        self.articles = []  # (folder, file, title, headings)
        self.broken = 0

    def plan(self):
        r = self.r
        for i in range(self.n):
            folder = r.choice(self.homes)
            stem = f"{r.choice(WORDS)}-{r.choice(WORDS)}-{i}"
            if r.random() < 0.05:
                stem = stem.replace("-", "_")
            long_page = r.random() < 0.03
            title = f"{r.choice(WORDS).capitalize()} {r.choice(WORDS)} {r.choice(WORDS)} {i}"
            self.articles.append((folder, f"{stem}.md", title, headings_for(r, long_page), long_page))

    def rel_link(self, src_dir, dst):
        s = [p for p in src_dir.split("/") if p]
        d = [p for p in dst.split("/") if p]
        while s and d and s[0] == d[0]:
            s.pop(0)
            d.pop(0)
        return "/".join([".."] * len(s) + d) or "."

    def link(self, src_folder):
        """One link from an article in src_folder, in a random convention; maybe broken."""
        r = self.r
        roll = r.random()
        src = src_folder.rel
        broken_rate = 0.06 / 5.0  # ~5 links per article → ~6% of N broken links
        if r.random() < broken_rate:
            self.broken += 1
            kind = r.random()
            if kind < 0.4:
                folder, file, title, _, _ = r.choice(self.articles)
                return title, self.rel_link(src, f"{folder.rel}/renamed-{file}")
            if kind < 0.6:
                return "old folder", self.rel_link(src, f"{r.choice(self.leaves).rel}-archive/")
            if kind < 0.85:
                # Many links to anchors a section page never had (a real handbook's pattern).
                return "overview", self.rel_link(src, "company/_index.md") + f"#{r.choice(WORDS)}-overview"
            folder, file, title, _, _ = r.choice(self.articles)
            return title, self.rel_link(src, f"{folder.rel}/{file}") + "#no-such-heading"
        if roll < 0.45:
            folder, file, title, heads, _ = r.choice(self.articles)
            dest = self.rel_link(src, f"{folder.rel}/{file}")
            if heads and r.random() < 0.3:
                text, custom = r.choice(heads)
                dest += "#" + anchor(text, custom, r)
            return title, dest
        f = r.choice(self.leaves)
        if roll < 0.6:
            return f.rel.rsplit("/", 1)[-1], self.rel_link(src, f"{f.rel}/{f.index}")
        if roll < 0.7:
            return "folder", self.rel_link(src, f.rel) + "/"
        if roll < 0.75:
            return "folder", self.rel_link(src, f.rel)
        if roll < 0.85:
            return "site root", f"/{f.rel}/"
        return "site root", f"/handbook/{f.rel}/"

    def front_matter(self, rel, title, weight):
        r = self.fm
        if self.mode == "binder":
            return (f'---\ntitle: "{title}"\ndate: 2024-0{r.randint(1, 9)}-1{r.randint(0, 9)}\n'
                    f'description: "{sentence(r)}"\nweight: {weight}\n---\n\n')
        if r.random() < 0.33:
            return ""
        lines = [f'title: "{title}"', f"weight: {weight}"]
        for key, value in r.sample(FOREIGN_KEYS, r.randint(1, 4)):
            lines.append(f"{key}: {value(r, rel)}")
        return "---\n" + "\n".join(lines) + "\n---\n\n"

    def body(self, folder, title, heads, long_page):
        r = self.r
        out = [f"# {title}\n", paragraph(r) + "\n"]
        per = 2 if long_page else 1
        links_left = 5
        for text, custom in heads:
            level = "##" if r.random() < 0.7 else "###"
            out.append(f"{level} {text}" + (f" {{#{custom}}}" if custom else "") + "\n")
            for _ in range(per):
                p = paragraph(r)
                if links_left and r.random() < 0.5:
                    label, dest = self.link(folder)
                    p += f" See [{label}]({dest})."
                    links_left -= 1
                out.append(p + "\n")
            if r.random() < 0.1:
                out.append("- " + sentence(r) + "\n- " + sentence(r) + "\n")
            if r.random() < 0.05:
                out.append("```yaml\nkey: value\nlist: [a, b]\n```\n")
        while links_left:
            label, dest = self.link(folder)
            out.append(f"Related: [{label}]({dest}).\n")
            links_left -= 1
        if r.random() < 0.2:
            out.append(f"![A diagram of the {r.choice(WORDS)} flow](images/diagram.png)\n")
            self.files[f"{folder.rel}/images/diagram.png"] = PNG
        return "\n".join(out)

    def section_page(self, f):
        title = f.rel.rsplit("/", 1)[-1].replace("-", " ").replace("_", " ").title() or "Handbook"
        r = self.r
        body = f"{paragraph(r, 2)}\n"
        if f.index == "index.md":
            body += "\n![The team](team.png)\n"
            self.files[f"{f.rel}/team.png"] = PNG
        if self.mode == "binder" or f.index == "_index.md" or self.fm.random() < 0.5:
            fm = f'---\ntitle: "{title}"\n---\n\n'
        else:
            fm = ""
            body = f"# {title}\n\n{body}"
        return fm + body

    def write_all(self):
        self.plan()
        for folder, file, title, heads, long_page in self.articles:
            rel = f"{folder.rel}/{file}"
            fm = self.front_matter(rel, title, self.fm.randint(1, 100))
            self.files[rel] = fm + self.body(folder, title, heads, long_page)
        for f in self.folders:
            self.files[(f"{f.rel}/" if f.rel else "") + f.index] = self.section_page(f)
        return self.files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--front-matter", choices=["foreign", "binder"], default="foreign")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    content = os.path.join(args.out, "content")
    if os.path.exists(content) and os.listdir(content):
        if not args.force:
            sys.exit(f"gen_real_corpus.py: {content} exists and is not empty (use --force)")
        shutil.rmtree(content)
    corpus = Corpus(args.pages, args.seed, args.front_matter)
    files = corpus.write_all()
    for rel in sorted(files):
        path = os.path.join(content, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = files[rel]
        with open(path, "wb") as fh:
            fh.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    md = sum(1 for rel in files if rel.endswith(".md"))
    print(f"wrote {md} Markdown files ({args.pages} articles, {len(corpus.folders)} folders), "
          f"{len(files) - md} images, {corpus.broken} broken links into {content}", file=sys.stderr)


if __name__ == "__main__":
    main()
