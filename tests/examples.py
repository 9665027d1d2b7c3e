#!/usr/bin/python3
"""Runs every example command of README.md and doc/*.1 and compares the output
a man page shows with the program's real output.

Usage: examples.py SRC BUILD WORKDIR

Commands are taken from README's ```sh blocks (those that call build/cmd/)
and from man pages' .nf/.EX blocks: a line "$ command" is a command whose
following lines, up to a blank line or the next "$", are output it must
print (" ..." stands for lines left out; spacing is compared as words); in
the EXAMPLES section every command line of a block is run. A command must
exit 0, or 1 when it reports data problems as it is meant to; exit 2 (a
usage error or a missing file) fails the test.
"""
import os
import re
import shutil
import subprocess
import sys

SRC, BUILD, WORK = sys.argv[1:4]

# Example commands too slow for a sanitised test build, with the reason.
SKIP = {
    "mj-synth --rows 10000000 -o big.csv samples/appeals-2023.spec":
        "ten million rows; bench/run.sh makes them",
}

ROFF = [("\\-", "-"), ("\\e", "\\"), ("\\(aq", "'"), ("\\(en", "\u2013"),
        ("\\(em", "\u2014"), ("\\(mu", "\u00d7"), ("\\(S2", "\u00b2"),
        ("\\('e", "\u00e9"), ("\\(*S", "\u03a3"), ("\\(mi", "\u2212"),
        ("\\(lq", "\u201c"), ("\\(rq", "\u201d"), ("\\&", ""), ("\\ ", " "),
        ("\\[u2502]", "\u2502")]


def unroff(line):
    for a, b in ROFF:
        line = line.replace(a, b)
    return line


def is_command(line):
    return re.match(r"^(build/cmd/)?mj-[a-z]+\b|^cat \S+ *\|", line) is not None


def joined(lines):
    """Joins lines continued by a trailing backslash or pipe."""
    out, cur = [], ""
    for raw in lines:
        line = raw.rstrip()
        cur = (cur + " " + line.strip()) if cur else line
        if cur.endswith("\\"):
            cur = cur[:-1].rstrip()
            continue
        if cur.endswith("|"):
            continue
        out.append(cur)
        cur = ""
    if cur:
        out.append(cur)
    return out


def from_readme(path):
    examples, block = [], None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("```"):
            block = [] if block is None and line.strip() == "```sh" else None
            continue
        if block is not None:
            cmd = re.sub(r"\s+#.*$", "", line).strip()
            if cmd.startswith("build/cmd/"):
                examples.append(("README.md", cmd, None))
    return examples


def from_man(path):
    name = os.path.basename(path)
    examples, section, block, pending = [], "", None, []
    for raw in open(path, encoding="utf-8"):
        raw = raw.rstrip("\n")
        if raw.startswith(".SH"):
            section = raw[3:].strip().strip('"')
        if raw in (".nf", ".EX"):
            block = []
            continue
        if raw in (".fi", ".EE"):
            if block is not None:
                examples += parse_block(name, block, section == "EXAMPLES")
            block = None
            continue
        if section == "EXAMPLES" and block is None and (pending or is_command(unroff(raw))):
            pending.append(unroff(raw))
            if not pending[-1].rstrip().endswith(("\\", "|")):
                examples.append((name, joined(pending)[0], None))
                pending = []
            continue
        if block is not None and not raw.startswith("."):
            block.append(unroff(raw))
    return examples


def parse_block(name, lines, run_all):
    found = []
    if any(line.startswith("$ ") for line in lines):
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                i += 1
                continue
            cmd_lines = [lines[i][2:]]
            while cmd_lines[-1].rstrip().endswith(("\\", "|")) and i + 1 < len(lines):
                i += 1
                cmd_lines.append(lines[i])
            i += 1
            shown = []
            while i < len(lines) and lines[i].strip() and not lines[i].startswith("$ "):
                shown.append(lines[i])
                i += 1
            found.append((name, joined(cmd_lines)[0], shown))
    elif run_all:
        for cmd in joined(lines):
            if is_command(cmd.strip()):
                found.append((name, cmd.strip(), None))
    return found


def words(line):
    return " ".join(line.split())


def main():
    os.makedirs(WORK, exist_ok=True)
    shutil.copytree(os.path.join(SRC, "samples"), os.path.join(WORK, "samples"))
    os.makedirs(os.path.join(WORK, "build"), exist_ok=True)
    os.symlink(os.path.join(BUILD, "cmd"), os.path.join(WORK, "build", "cmd"))
    os.makedirs(os.path.join(WORK, "tests", "data"))
    shutil.copy(os.path.join(SRC, "tests/data/population-test.csv"),
                os.path.join(WORK, "tests", "data"))
    # Files that stand for the reader's own, as the man pages say.
    shutil.copy(os.path.join(SRC, "tests/data/population-test.csv"),
                os.path.join(WORK, "population.csv"))
    shutil.copy(os.path.join(SRC, "tests/data/population-test.csv"),
                os.path.join(WORK, "pop.csv"))
    with open(os.path.join(WORK, "august.csv"), "w", encoding="utf-8") as f:
        f.write("table,category,count,percent,of,records\n"
                "region,All regions,1557,,,all\n"
                "region,Bukhara region,124,8.0,All regions,region=UZ-BU\n")
    env = dict(os.environ, PATH=os.path.join(BUILD, "cmd") + ":" + os.environ["PATH"],
               COLUMNS="200", LANG="C.UTF-8")
    env.pop("NO_COLOR", None)

    examples = from_readme(os.path.join(SRC, "README.md"))
    for page in sorted(os.listdir(os.path.join(SRC, "doc"))):
        if page.endswith(".1"):
            examples += from_man(os.path.join(SRC, "doc", page))

    failures = 0
    for where, cmd, shown in examples:
        if cmd in SKIP:
            print(f"skip {where}: {cmd} ({SKIP[cmd]})")
            continue
        # Shown output is what a terminal gets: run it on a pseudo-terminal.
        argv = ["bash", "-o", "pipefail", "-c", cmd]
        if shown:
            argv = ["script", "-qec", "bash -o pipefail -c " + shlex_quote(cmd), "/dev/null"]
        try:
            run = subprocess.run(argv, cwd=WORK, env=env, capture_output=True,
                                 timeout=300, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            print(f"FAIL {where}: timed out: {cmd}")
            failures += 1
            continue
        out = run.stdout.decode("utf-8", "replace").replace("\r", "")
        err = run.stderr.decode("utf-8", "replace")
        # A pipe's status is its last failing command's: a file that is
        # not there fails the example even when a later command says 1.
        if "cannot open: No such file" in err:
            print(f"FAIL {where}: a file the example names is not there: {cmd}\n{err[-600:]}")
            failures += 1
            continue
        if run.returncode not in (0, 1):
            print(f"FAIL {where}: exit {run.returncode}: {cmd}\n{err[-600:]}{out[-600:]}")
            failures += 1
            continue
        if shown:
            have = [words(line) for line in out.splitlines()]
            pos = 0
            for want in shown:
                w = words(want)
                if w == "" or w.startswith("..."):
                    continue
                try:
                    pos = have.index(w, pos) + 1
                except ValueError:
                    print(f"FAIL {where}: {cmd}\n  shows:   {want.strip()}\n"
                          f"  but the output (in order) lacks it; it printed:\n"
                          + "\n".join("    " + line for line in out.splitlines()[:40]))
                    failures += 1
                    break
        print(f"ok   {where}: {cmd}")
    # mj-synth(1) says its example regenerates the sample: byte for byte.
    with open(os.path.join(SRC, "samples/appeals-2023.csv"), "rb") as a, \
         open(os.path.join(WORK, "samples/appeals-2023.csv"), "rb") as b:
        if a.read() != b.read():
            print("FAIL mj-synth.1: the regenerated samples/appeals-2023.csv differs")
            failures += 1
    print(f"{len(examples)} examples, {failures} failed")
    return 1 if failures or not examples else 0


def shlex_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


if __name__ == "__main__":
    sys.exit(main())
