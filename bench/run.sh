#!/usr/bin/env bash
# Callgate benchmarks side by side with OpenSSH (internal-sftp) and GnuPG, in one run on this machine.
# Usage: bench/run.sh     (all parts; PARTS="sftp decrypt" bench/run.sh re-runs only those — see bench/README.md)
# Each part that finishes replaces bench/results/<part>/; bench/report.py then renders every part present
# there into the generated section of bench/RESULTS.md (the hand-written sections stay as they are).
# Needs: java 17, mvn, gpg, ssh, sftp, curl, /usr/sbin/sshd (apt-get install openssh-server).
set -euo pipefail
{ # read whole before running: editing this file during a run cannot break the run
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PARTS=${PARTS:-sftp decrypt ingest concurrent}
RUNS=${RUNS:-5}
SIZES=${SIZES:-100}
ROWS=${ROWS:-1000000 2000000}
DECRYPT_MB=${DECRYPT_MB:-1024}
CONCURRENT=${CONCURRENT:-50}             # parallel SFTP sessions, one list each; 0 skips the part
CONCURRENT_MB=${CONCURRENT_MB:-10}       # plaintext MiB of each of those lists
CONCURRENT_TIMEOUT=${CONCURRENT_TIMEOUT:-3600}  # seconds to wait for the last report
DSAR_RECORDS=${DSAR_RECORDS:-10000000}   # records stored for the DSAR search part (~0.5 KB of disk each)
DSAR_SEARCHES=${DSAR_SEARCHES:-200}      # searches of each kind, each for a different person
# CG_JAVA_OPTS: extra JVM options for the gateway, e.g. a flight recording for a profile:
#   CG_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/cg.jfr,settings=profile"
JAR=$ROOT/gateway/target/callgate.jar
OUT=${RESULTS_DIR:-$ROOT/bench/results}  # RESULTS_DIR=/tmp/x: a trial run that leaves bench/ alone
MD=$ROOT/bench/RESULTS.md; [ -n "${RESULTS_DIR:-}" ] && MD=$RESULTS_DIR/RESULTS.md
for p in $PARTS; do
  case $p in sftp|decrypt|ingest|concurrent|dsar) ;; *) echo "unknown part '$p' (sftp decrypt ingest concurrent dsar)" >&2; exit 64;; esac
done
[ -f "$MD" ] && ! grep -q '<!-- generated:start' "$MD" && {
  echo "$MD has no <!-- generated:start --> marker; refusing to overwrite it" >&2; exit 1; }
has_part() { [[ " $PARTS " == *" $1 "* ]]; }
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
W=$(mktemp -d /tmp/callgate-bench.XXXXXX)
echo "bench work dir: $W"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; [ -n "${GNUPGHOME:-}" ] && gpgconf --kill gpg-agent 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }

# ---------- per-part results: $P/results.tsv (case server run value), $P/meta.tsv (key value) ----------
(while :; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)" >> "$W/load.log"; sleep 5; done) & PIDS+=($!)
PART=; P=; PART_T0=
part_begin() {
  PART=$1; P=$W/parts/$1; mkdir -p "$P"; : > "$P/results.tsv"; : > "$P/cpu.tsv"; PART_T0=$(date +%s)
  echo "== $1"
}
meta() { printf '%s\t%s\n' "$1" "$2" >> "$P/meta.tsv"; }
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$P/results.tsv"; }   # case server run value
part_end() { # settings
  meta date "$(date -u -d "@$PART_T0" '+%Y-%m-%d %H:%M UTC')"
  meta minutes "$(( ($(date +%s) - PART_T0 + 30) / 60 ))"
  meta load "$(awk -v t="$PART_T0" '$1>=t{print $2}' "$W/load.log" | sort -n | awk '{v[NR]=$1} END{if(NR) printf "%s (%s–%s)", v[int((NR+1)/2)], v[1], v[NR]; else print "?"}')"
  meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
  meta settings "$1"
  python3 "$ROOT/bench/report.py" machine >> "$P/meta.tsv"
  mkdir -p "$OUT"; rm -rf "${OUT:?}/$PART"; cp -r "$P" "$OUT/$PART"
}

# ---------- dsar: DSAR search over DSAR_RECORDS records stored through the record store (no server needed) ----------
if has_part dsar; then
  part_begin dsar
  need=$(( DSAR_RECORDS / 1000 + 1024 ))   # MiB: parts + index take about 0.5 KB a record; twice that to be safe
  avail=$(df -Pm "$W" | awk 'NR==2{print $4}')
  [ "$avail" -gt "$need" ] || { echo "dsar: $avail MiB free under $W, need about $need" >&2; exit 1; }
  java -Xmx1g -cp "$JAR" "$ROOT/bench/DsarBench.java" "$DSAR_RECORDS" "$W/dsar" "$DSAR_SEARCHES" | tee "$P/dsar.tsv"
  du -sm "$W/dsar" | cut -f1 > "$P/disk-mib.txt"
  rm -rf "$W/dsar"
  part_end "DSAR_RECORDS=$DSAR_RECORDS DSAR_SEARCHES=$DSAR_SEARCHES"
fi
if [ -z "$(echo " $PARTS " | sed 's/ dsar / /g' | tr -d ' ')" ]; then # only dsar: no servers to start
  python3 "$ROOT/bench/report.py" render "$OUT" "$MD"
  echo "wrote $MD (parts: $PARTS; results in $OUT)"
  exit
fi

# ---------- keys and servers ----------
ssh-keygen -q -t ed25519 -N '' -f "$W/client" -C bench
ssh-keygen -q -t ed25519 -N '' -f "$W/sshd_host" -C bench-host
cp "$W/client.pub" "$W/authorized_keys"
SSHD_PORT=$(free_port); CG_PORT=$(free_port); MGMT_PORT=$(free_port)
mkdir -p /run/sshd "$W/ossh"
cat > "$W/sshd_config" <<CFG
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $W/sshd_host
PidFile $W/sshd.pid
AuthorizedKeysFile $W/authorized_keys
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 500
Subsystem sftp internal-sftp
CFG
/usr/sbin/sshd -D -f "$W/sshd_config" -E "$W/sshd.log" & PIDS+=($!)

export CALLGATE_DATA_DIR=$W/cg CALLGATE_MASTER_KEY=$(head -c32 /dev/urandom | base64)
export CALLGATE_SFTP_HOST=127.0.0.1 CALLGATE_SFTP_PORT=$CG_PORT CALLGATE_MANAGEMENT_PORT=$MGMT_PORT
export CALLGATE_BOOTSTRAP_ADMIN_NAME=bench-admin CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY="$(cat "$W/client.pub")"
# The shipped caps (8 sessions per account, 20 per source address) would refuse the concurrent case, which
# comes from one account on 127.0.0.1; raised for it, reported with its results.
SESSION_CAPS=
if has_part concurrent && [ "$CONCURRENT" -gt 0 ]; then
  export CALLGATE_SFTP_MAX_SESSIONS_PER_ACCOUNT=$((CONCURRENT + 5)) CALLGATE_SFTP_MAX_SESSIONS_PER_IP=$((CONCURRENT + 5))
  export CALLGATE_SFTP_MAX_SESSIONS=$((CONCURRENT > 190 ? CONCURRENT + 10 : 200))
  # All CONCURRENT sessions start at once from one address: the pre-authentication budget must hold them.
  export CALLGATE_SFTP_MAX_STARTUPS_PER_IP=$((CONCURRENT + 5)) CALLGATE_SFTP_MAX_STARTUPS=$((CONCURRENT + 10))
  SESSION_CAPS="CALLGATE_SFTP_MAX_SESSIONS_PER_ACCOUNT=$CALLGATE_SFTP_MAX_SESSIONS_PER_ACCOUNT CALLGATE_SFTP_MAX_SESSIONS_PER_IP=$CALLGATE_SFTP_MAX_SESSIONS_PER_IP CALLGATE_SFTP_MAX_SESSIONS=$CALLGATE_SFTP_MAX_SESSIONS CALLGATE_SFTP_MAX_STARTUPS_PER_IP=$CALLGATE_SFTP_MAX_STARTUPS_PER_IP CALLGATE_SFTP_MAX_STARTUPS=$CALLGATE_SFTP_MAX_STARTUPS"
fi
(cd "$W" && exec java -Xmx1g -Xlog:gc:file="$W/gc.log" ${CG_JAVA_OPTS:-} -jar "$JAR" serve --config "$ROOT/config/callgate.yaml" \
    > "$W/callgate.log" 2>&1) & PIDS+=($!)
for i in $(seq 1 480); do (echo > /dev/tcp/127.0.0.1/$CG_PORT) 2>/dev/null && break; sleep 0.5; done
sleep 1
CG_JVM=$(pgrep -f "callgate.jar serve" | while read p; do { grep -qz "$W" /proc/$p/environ 2>/dev/null && echo $p; } || true; done | head -1)
OPTS=(-i "$W/client" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)
cg_ssh() { local who=$1; shift; ssh -p "$CG_PORT" "${OPTS[@]}" "$who@127.0.0.1" "$@"; }
export GNUPGHOME=$W/gnupg; mkdir -m 700 "$GNUPGHOME"
gpg -q --batch --passphrase '' --quick-gen-key 'Bench Controller <ctl@bench.invalid>' default default never 2>/dev/null
cg_ssh bench-admin campaign add C1 --org Bench --ends 2099-12-31 >/dev/null
cg_ssh bench-admin account add ctl --role controller --org Bench >/dev/null
# the controller logs in with the same client key as root does on sshd: same client work on both sides
ssh-keygen -q -t ed25519 -N '' -f "$W/ctl" -C ctl; cg_ssh bench-admin account key ctl < "$W/ctl.pub" >/dev/null
gpg -q --batch --armor --export ctl@bench.invalid | cg_ssh bench-admin campaign pgp-key C1 >/dev/null
cg_ssh bench-admin gateway pgp-key | gpg -q --batch --import 2>/dev/null
GW_FPR=$(gpg --batch --with-colons --list-keys | awk -F: '/^pub/{getline; print $10}' | while read f; do gpg --batch --list-keys "$f" | grep -q ctl@bench || echo "$f"; done | head -1)
COPTS=(-i "$W/ctl" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR)
OUTBOX=$W/cg/sftp/C1/outbox
sftp_cg() { sftp -P "$CG_PORT" "${COPTS[@]}" "$@" -b - ctl@127.0.0.1 >/dev/null; }
sftp_os() { sftp -P "$SSHD_PORT" "${OPTS[@]}" "$@" -b - root@127.0.0.1 >/dev/null; }
heap_segment() { # max heap before GC and after GC (MiB) in gc.log lines after $1
  tail -n +"$(( $1 + 1 ))" "$W/gc.log" | grep -o '[0-9]*M->[0-9]*M' | awk -F'M->|M' '{if($1>b)b=$1; if($2>a)a=$2} END{printf "%d\t%d", b, a}'
}
pipeline_sample() { # top frames of the Camel threads, appended to $1
  [ -n "$CG_JVM" ] && jcmd "$CG_JVM" Thread.print 2>/dev/null | awk '/^"Camel/{getline; getline; print}' >> "$1" || true
}
# Server CPU seconds (user + system), which the load of other processes on the machine does not change the
# way it changes wall-clock times. Callgate: the JVM's own. OpenSSH: what the sshd master has reaped from its
# session processes (privilege-separated child, internal-sftp), read once the session process is gone.
CLK=$(getconf CLK_TCK); SSHD_MASTER=$(cat "$W/sshd.pid")
cpu_cg() { awk -v t="$CLK" '{printf "%.2f", ($14 + $15) / t}' "/proc/$CG_JVM/stat"; }
cpu_os() {
  for i in $(seq 1 50); do [ -z "$(pgrep -P "$SSHD_MASTER")" ] && break; sleep 0.1; done
  awk -v t="$CLK" '{printf "%.2f", ($14 + $15 + $16 + $17) / t}' "/proc/$SSHD_MASTER/stat"
}
cpu_record() { # case server before after -> $P/cpu.tsv (case server seconds)
  printf '%s\t%s\t%s\n' "$1" "$2" "$(awk -v a="$3" -v b="$4" 'BEGIN{printf "%.2f", b - a}')" >> "$P/cpu.tsv"
}
metric() { # sum of a Prometheus series (name{labels} prefix) on the management port, 0 if absent
  curl -s "http://127.0.0.1:$MGMT_PORT/metrics" | awk -v m="$1" 'index($0, m) == 1 {s += $NF} END{printf "%d", s}'
}

# ---------- SFTP transfers ----------
if has_part sftp; then
  part_begin sftp
  n=0
  for S in $SIZES; do
    head -c $((S * 1048576)) /dev/urandom > "$W/blob-$S"
    cp "$W/blob-$S" "$OUTBOX/dl-$S.bin"; cp "$W/blob-$S" "$W/ossh/dl-$S.bin"
    for run in $(seq 1 "$RUNS"); do
      for c in aes128-gcm@openssh.com aes256-gcm@openssh.com default; do
        copt=(); [ "$c" = default ] || copt=(-c "$c")
        n=$((n + 1))
        c0=$(cpu_cg); t0=$(now); echo "put $W/blob-$S /C1/inbox/up-$n.bin" | sftp_cg "${copt[@]}"; t1=$(now)
        record "upload ${S} MiB ${c%@*}" callgate "$run" "$(elapsed "$t0" "$t1")"; cpu_record "upload ${S} MiB ${c%@*}" callgate "$c0" "$(cpu_cg)"
        # the random upload is refused and shredded (overwritten, fsynced); let that finish before the next
        # transfer so it does not share the disk with it
        for i in $(seq 1 240); do
          [ -e "$OUTBOX/up-$n.bin.report.csv.gpg" ] && [ -z "$(find "$CALLGATE_DATA_DIR" -name '*.up' -size +1M)" ] && break
          sleep 0.5
        done
        c0=$(cpu_os); t0=$(now); echo "put $W/blob-$S $W/ossh/up-$n.bin" | sftp_os "${copt[@]}"; t1=$(now)
        record "upload ${S} MiB ${c%@*}" openssh "$run" "$(elapsed "$t0" "$t1")"; rm -f "$W/ossh/up-$n.bin"
        cpu_record "upload ${S} MiB ${c%@*}" openssh "$c0" "$(cpu_os)"
        c0=$(cpu_cg); t0=$(now); echo "get /C1/outbox/dl-$S.bin $W/got" | sftp_cg "${copt[@]}"; t1=$(now)
        record "download ${S} MiB ${c%@*}" callgate "$run" "$(elapsed "$t0" "$t1")"; rm -f "$W/got"
        cpu_record "download ${S} MiB ${c%@*}" callgate "$c0" "$(cpu_cg)"
        c0=$(cpu_os); t0=$(now); echo "get $W/ossh/dl-$S.bin $W/got" | sftp_os "${copt[@]}"; t1=$(now)
        record "download ${S} MiB ${c%@*}" openssh "$run" "$(elapsed "$t0" "$t1")"; rm -f "$W/got"
        cpu_record "download ${S} MiB ${c%@*}" openssh "$c0" "$(cpu_os)"
      done
    done
    rm -f "$OUTBOX/dl-$S.bin" "$W/ossh/dl-$S.bin" "$W/blob-$S"
  done
  meta cipher_openssh "$(ssh -v -p "$SSHD_PORT" "${OPTS[@]}" root@127.0.0.1 true 2>&1 | grep -m1 'cipher: ' | sed 's/.*cipher: \([^ ]*\).*/\1/' || true)"
  meta cipher_callgate "$(ssh -v -p "$CG_PORT" "${COPTS[@]}" ctl@127.0.0.1 true 2>&1 | grep -m1 'cipher: ' | sed 's/.*cipher: \([^ ]*\).*/\1/' || true)"
  part_end "RUNS=$RUNS SIZES=\"$SIZES\""
fi

# ---------- decrypt: Callgate's PgpDecryptor vs gpg --decrypt ----------
if has_part decrypt; then
  part_begin decrypt
  mkdir -p "$W/dk"; chmod 700 "$W/dk"
  java -cp "$JAR" "$ROOT/bench/DecryptBench.java" key "$W/dk"
  gpg -q --batch --import "$W/dk/secret.asc" 2>/dev/null
  DK_FPR=$(gpg --batch --with-colons --list-keys bench@callgate.invalid | awk -F: '/^fpr/{print $10; exit}')
  python3 - "$W/list.csv" "$DECRYPT_MB" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2]); target = mb * 1048576
with open(path, 'w') as f:
    f.write('etunimi;sukunimi;puhelin;lähde\n'); n = 0; size = 0
    while size < target:
        line = 'Etunimi%d;Sukunimi%d;040%07d;messut %d\n' % (n, n % 9973, 1000000 + n % 8999999, n % 17)
        f.write(line); size += len(line); n += 1
PY
  gpg -q --batch --trust-model always -r "$DK_FPR" -o "$W/list.csv.gpg" -e "$W/list.csv"
  rm -f "$W/list.csv"
  run=0
  for t in $(java -cp "$JAR" "$ROOT/bench/DecryptBench.java" decrypt "$W/dk" "$W/list.csv.gpg" "$RUNS"); do
    run=$((run + 1)); record "decrypt ${DECRYPT_MB} MiB list (gpg default compression)" callgate "$run" "$t"
  done
  gpg -q --batch --decrypt -o /dev/null "$W/list.csv.gpg" 2>/dev/null # same warm-up (page cache) for gpg
  for run in $(seq 1 "$RUNS"); do
    t0=$(now); gpg -q --batch --decrypt -o /dev/null "$W/list.csv.gpg" 2>/dev/null; t1=$(now)
    record "decrypt ${DECRYPT_MB} MiB list (gpg default compression)" gpg "$run" "$(elapsed "$t0" "$t1")"
  done
  rm -f "$W/list.csv.gpg"
  part_end "RUNS=$RUNS DECRYPT_MB=$DECRYPT_MB"
fi

# ---------- end-to-end ingest ----------
if has_part ingest; then
  part_begin ingest
  for R in $ROWS; do
    python3 - "$W/ingest-$R.csv" "$R" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, 'w') as f:
    f.write('etunimi;sukunimi;puhelin;sähköposti;lähde\n')
    for i in range(n):
        f.write('Etu%d;Suku%d;040%07d;e%d@bench.invalid;messut\n' % (i, i % 9973, 1000000 + i, i))
PY
    gpg -q --batch --trust-model always -r "$GW_FPR" -o "$W/ingest-$R.csv.gpg" -e "$W/ingest-$R.csv"; rm -f "$W/ingest-$R.csv"
    gcl=$(wc -l < "$W/gc.log")
    echo "put $W/ingest-$R.csv.gpg /C1/inbox/ingest-$R.csv.gpg" | sftp_cg
    t0=$(now)
    : > "$W/stacks-$R.txt"
    until [ -e "$OUTBOX/ingest-$R.csv.gpg.report.csv.gpg" ]; do pipeline_sample "$W/stacks-$R.txt"; sleep 2; done
    t1=$(now)
    record "ingest ${R} rows" callgate 1 "$(elapsed "$t0" "$t1")"
    printf '%s\t%s\n' "$R" "$(heap_segment "$gcl")" >> "$P/heap.tsv"
    sort "$W/stacks-$R.txt" | uniq -c | sort -rn | head -8 > "$P/top-$R.txt"
    rm -f "$W/ingest-$R.csv.gpg"
  done
  part_end "ROWS=\"$ROWS\" (one run each, in this order, into one campaign)"
fi

# ---------- concurrent: N SFTP sessions at once, each uploading one encrypted list ----------
if has_part concurrent && [ "$CONCURRENT" -gt 0 ]; then
  part_begin concurrent
  D=$W/conc; mkdir -p "$D/os"
  # N lists of CONCURRENT_MB MiB each with every address column (as a real list has), phone numbers unique
  # across all lists so nothing is a duplicate; prints the rows of each list
  python3 - "$D" "$CONCURRENT" "$CONCURRENT_MB" > "$P/lists.tsv" <<'PY'
import sys
d, n, mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]); target = mb * 1048576
prefixes = ['040', '044', '045', '050']
for i in range(1, n + 1):
    with open('%s/list-%d.csv' % (d, i), 'w') as f:
        head = 'etunimi;sukunimi;puhelin;sähköposti;katuosoite;postinumero;postitoimipaikka;lähde\n'
        f.write(head); size = len(head.encode()); rows = 0
        base = 1000000 + ((i - 1) // len(prefixes)) * 600000
        while size < target:
            line = 'Etunimi%d;Sukunimi%d;%s%07d;etu%d.suku%d@bench.invalid;Testikatu %d B %d;%05d;Kaupunki%d;messut %d\n' % (
                rows, rows % 9973, prefixes[(i - 1) % len(prefixes)], base + rows, rows, i, rows % 200 + 1,
                rows % 40 + 1, rows % 99999 + 1, rows % 300, rows % 17)
            f.write(line); size += len(line.encode()); rows += 1
    print('%d\t%d\t%d' % (i, rows, size))
PY
  for i in $(seq 1 "$CONCURRENT"); do
    gpg -q --batch --trust-model always -r "$GW_FPR" -o "$D/list-$i.csv.gpg" -e "$D/list-$i.csv"; rm -f "$D/list-$i.csv"
    printf '%s\t%s\n' "$i" "$(stat -c %s "$D/list-$i.csv.gpg")" >> "$P/encrypted.tsv"
  done
  # one batch of uploads; writes "i rc start end" per session to $2/sess-i
  upload_all() { # sftp-function dir remote-prefix
    local fn=$1 dir=$2 remote=$3 pids=() i
    mkdir -p "$dir"
    for i in $(seq 1 "$CONCURRENT"); do
      ( s=$(now); rc=0; echo "put $D/list-$i.csv.gpg $remote/conc-$i.csv.gpg" | $fn 2> "$dir/err-$i" || rc=$?
        printf '%s\t%s\t%s\t%s\n' "$i" "$rc" "$s" "$(now)" > "$dir/sess-$i" ) &
      pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    cat "$dir"/sess-* | sort -n > "$dir/sessions.tsv"
  }
  # reference first, so Callgate's pipeline does not run beside it: the same uploads to internal-sftp
  upload_all sftp_os "$D/ref" "$D/os"
  cp "$D/ref/sessions.tsv" "$P/sessions-openssh.tsv"; rm -rf "$D/os"
  accepted0=$(metric 'callgate_ingest_files_total{outcome="accepted"'); rejected0=$(metric 'callgate_ingest_files_total{outcome="rejected"')
  failures0=$(metric callgate_pipeline_failures_total)
  gcl=$(wc -l < "$W/gc.log")
  : > "$W/stacks-conc.txt"
  T0=$(now)
  upload_all sftp_cg "$D/cg" /C1/inbox &
  UP=$!
  while kill -0 "$UP" 2>/dev/null; do pipeline_sample "$W/stacks-conc.txt"; sleep 2; done
  wait "$UP" || true
  cp "$D/cg/sessions.tsv" "$P/sessions-callgate.tsv"
  timed_out=0
  until [ "$(ls "$OUTBOX" | grep -c '^conc-.*\.report\.csv\.gpg$')" -ge "$CONCURRENT" ]; do
    if [ "$(awk -v a="$T0" -v b="$(now)" 'BEGIN{print (b-a > '"$CONCURRENT_TIMEOUT"')}')" = 1 ]; then timed_out=1; break; fi
    pipeline_sample "$W/stacks-conc.txt"; sleep 2
  done
  meta t0 "$T0"
  meta timed_out "$timed_out"
  meta files_accepted_metric "$(( $(metric 'callgate_ingest_files_total{outcome="accepted"') - accepted0 ))"
  meta files_rejected_metric "$(( $(metric 'callgate_ingest_files_total{outcome="rejected"') - rejected0 ))"
  meta pipeline_failures "$(( $(metric callgate_pipeline_failures_total) - failures0 ))"
  meta session_caps "$SESSION_CAPS"
  meta heap "$(heap_segment "$gcl" | tr '\t' ' ')"
  # each report: decrypted with the controller's key, its totals and when it was written
  for i in $(seq 1 "$CONCURRENT"); do
    r=$OUTBOX/conc-$i.csv.gpg.report.csv.gpg
    if [ -e "$r" ]; then
      gpg -q --batch --decrypt "$r" 2>/dev/null | python3 -c '
import csv, os, sys
i, path = sys.argv[1], sys.argv[2]; t = {}
for row in csv.reader(sys.stdin, delimiter=";"):
    if len(row) >= 3 and row[0] == "":
        t[row[1]] = row[2]
outcome = "accepted" if "file_accepted" in t else "rejected" if "file_rejected" in t else "?"
print("\t".join([i, outcome, t.get("rows_accepted", "0"), t.get("rows_rejected", "0"), "%.3f" % os.stat(path).st_mtime]))
' "$i" "$r" >> "$P/reports.tsv"
    else
      printf '%s\tmissing\t0\t0\t\n' "$i" >> "$P/reports.tsv"
    fi
  done
  sort "$W/stacks-conc.txt" | uniq -c | sort -rn | head -8 > "$P/top-concurrent.txt"
  part_end "CONCURRENT=$CONCURRENT CONCURRENT_MB=$CONCURRENT_MB"
fi

python3 "$ROOT/bench/report.py" render "$OUT" "$MD"
echo "wrote $MD (parts: $PARTS; results in $OUT)"
exit
}
