#!/usr/bin/env bash
# Uploads store files through the Tillflow API, a day at a time, the way stores would: for each file it asks
# POST $API/uploads for a presigned URL, then PUTs the file there with the headers the API returned.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: upload-sample-data.sh [--days N] [--delay S] [--api URL] [--dir DIR]

Uploads store_<NNNN>_<YYYY-MM-DD>.json files from DIR, grouped by date in date order.
  --days N    upload only the first N dates (default: all)
  --delay S   seconds to wait between dates, fractions allowed (default 0)
  --api URL   Tillflow API base URL (default http://127.0.0.1:3000)
  --dir DIR   folder holding the store files (default sample-data)
  --help      this text

Exits non-zero if any request failed (curl error or HTTP status >= 400), after trying every file.
EOF
}

die() {
  echo "upload-sample-data: $1" >&2
  exit 2
}

days=''
delay=0
api='http://127.0.0.1:3000'
dir='sample-data'
while [[ $# -gt 0 ]]; do
  case "$1" in
    --days) [[ $# -ge 2 ]] || die '--days needs a value'; days="$2"; shift 2 ;;
    --delay) [[ $# -ge 2 ]] || die '--delay needs a value'; delay="$2"; shift 2 ;;
    --api) [[ $# -ge 2 ]] || die '--api needs a value'; api="$2"; shift 2 ;;
    --dir) [[ $# -ge 2 ]] || die '--dir needs a value'; dir="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ -z "$days" || "$days" =~ ^[1-9][0-9]*$ ]] || die "--days must be a positive integer, got '$days'"
[[ "$delay" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--delay must be a number of seconds, got '$delay'"
[[ -d "$dir" ]] || die "no such folder: $dir"
command -v curl >/dev/null || die 'curl is required'
command -v node >/dev/null || die 'node is required (it parses the API answers)'
api="${api%/}"

# Names sort by store then date; the dates are collected separately so each day's files go together.
shopt -s nullglob
files=("$dir"/store_[0-9][0-9][0-9][0-9]_[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json)
shopt -u nullglob
[[ ${#files[@]} -gt 0 ]] || die "no store_<NNNN>_<YYYY-MM-DD>.json files in $dir"
mapfile -t dates < <(for f in "${files[@]}"; do name="${f##*/}"; echo "${name:11:10}"; done | sort -u)
if [[ -n "$days" && "$days" -lt ${#dates[@]} ]]; then
  dates=("${dates[@]:0:days}")
fi

# Reads the API's JSON answer on stdin and prints the upload URL, then one "Name: value" line per header.
parse_answer='
const a = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
if (typeof a.uploadUrl !== "string" || a.uploadUrl === "") throw new Error("the answer has no uploadUrl");
const lines = [a.uploadUrl];
for (const [name, value] of Object.entries(a.headers ?? {})) lines.push(`${name}: ${value}`);
process.stdout.write(lines.join("\n") + "\n");'

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Uploads one file; prints "ok" or says why not (on stdout, to stay on the progress line) and returns non-zero.
upload() {
  local file="$1" name="${1##*/}" status url bytes
  local -a answer headers
  if ! status="$(curl -sS -o "$tmp/answer" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "{\"filename\":\"$name\"}" "$api/uploads" 2>"$tmp/err")"; then
    echo "FAILED: POST $api/uploads: $(tr '\n' ' ' <"$tmp/err")"
    return 1
  fi
  if [[ "$status" -ge 400 || "$status" -lt 200 ]]; then
    echo "FAILED: POST $api/uploads answered HTTP $status: $(head -c 300 "$tmp/answer" | tr '\n' ' ')"
    return 1
  fi
  if ! mapfile -t answer < <(node -e "$parse_answer" <"$tmp/answer" 2>"$tmp/err") || [[ ${#answer[@]} -eq 0 ]]; then
    echo "FAILED: unreadable answer from POST $api/uploads: $(head -c 300 "$tmp/answer" | tr '\n' ' ')"
    return 1
  fi
  url="${answer[0]}"
  headers=()
  for h in "${answer[@]:1}"; do headers+=(-H "$h"); done
  # An empty Expect stops curl waiting for "100 Continue", which some S3 look-alikes never send.
  if ! status="$(curl -sS -o "$tmp/answer" -w '%{http_code}' -H 'Expect:' "${headers[@]}" --upload-file "$file" \
    "$url" 2>"$tmp/err")"; then
    echo "FAILED: PUT: $(tr '\n' ' ' <"$tmp/err")"
    return 1
  fi
  if [[ "$status" -ge 400 || "$status" -lt 200 ]]; then
    echo "FAILED: PUT answered HTTP $status: $(head -c 300 "$tmp/answer" | tr '\n' ' ')"
    return 1
  fi
  bytes="$(wc -c <"$file")"
  echo "ok ($(((bytes + 512) / 1024)) KB)"
}

total=0
failed=0
for i in "${!dates[@]}"; do
  date="${dates[$i]}"
  for file in "${files[@]}"; do
    name="${file##*/}"
    [[ "${name:11:10}" == "$date" ]] || continue
    total=$((total + 1))
    printf '[day %d/%d] %s ... ' "$((i + 1))" "${#dates[@]}" "$name"
    if ! upload "$file"; then failed=$((failed + 1)); fi
  done
  if [[ $((i + 1)) -lt ${#dates[@]} && "$delay" != 0 ]]; then sleep "$delay"; fi
done

if [[ $failed -gt 0 ]]; then
  echo "upload-sample-data: $failed of $total uploads failed" >&2
  exit 1
fi
echo "uploaded $total files over ${#dates[@]} days to $api"
