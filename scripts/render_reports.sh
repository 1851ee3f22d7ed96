#!/bin/sh
# Render the report files to PNG pages, the way a văn thư would look at them before
# signing: LibreOffice (headless) → PDF → one PNG per page (pdftoppm).
#   scripts/render_reports.sh [DIR_WITH_REPORTS] [OUT_DIR]
# Default: the demo's files in ./out, pages in ./out/pages. Needs libreoffice-writer,
# libreoffice-calc and poppler-utils (apt-get install …). Not part of CI.
set -eu
src="${1:-out}"
dest="${2:-$src/pages}"
mkdir -p "$dest"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
for f in "$src"/*.docx "$src"/*.xlsx; do
    [ -e "$f" ] || continue
    soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf \
        --outdir "$dest" "$f" >/dev/null 2>&1
    base="$(basename "${f%.*}")"
    ext="${f##*.}"
    pdftoppm -r 70 -png "$dest/$base.pdf" "$dest/$base-$ext"
    echo "$f → $(ls "$dest/$base-$ext"-*.png | wc -l) trang trong $dest/"
done
