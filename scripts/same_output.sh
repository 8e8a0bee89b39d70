#!/usr/bin/env bash
# Build the bundled corpus with the working tree and with another commit (default:
# HEAD), and compare every output file byte for byte. Used to check that a change
# meant to move code (not to change behaviour) leaves the outputs as they were.
#   scripts/same_output.sh [COMMIT]
set -euo pipefail
top=$(git rev-parse --show-toplevel)
base=${1:-HEAD}
python=${PYTHON:-$top/.venv/bin/python}
work=$(mktemp -d)
trap 'git -C "$top" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$top" worktree add --quiet --detach "$work/base" "$base"
# each tree reads its own package and the data and ontologies it finds (resources.py)
(cd "$work/base" && PYTHONPATH="$work/base" "$python" -c "from sco_graph.cli import main; main()" build data/corpus \
    --out "$work/before" --quiet --format nt --format jsonld --format gexf)
(cd "$top" && PYTHONPATH="$top" "$python" -c "from sco_graph.cli import main; main()" build data/corpus \
    --out "$work/after" --quiet --format nt --format jsonld --format gexf)
status=0
[ -n "$(ls "$work/before")" ] || { echo "no output from $base"; exit 1; }
for file in "$work"/before/*; do
    name=$(basename "$file")
    if cmp -s "$file" "$work/after/$name"; then
        echo "same      $name"
    else
        echo "DIFFERENT $name"; status=1
    fi
done
exit $status
