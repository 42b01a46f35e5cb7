#!/usr/bin/env bash
# Callgate benchmarks side by side with OpenSSH (internal-sftp) and GnuPG, in one run on this machine.
# Usage: bench/run.sh            (RUNS=5 SIZES="100" ROWS="1000000 2000000"; SIZES="100 1024" for 1 GiB)
# Writes bench/RESULTS.md. Needs: java 17, mvn, gpg, ssh, sftp, /usr/sbin/sshd (apt-get install openssh-server).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
SIZES=${SIZES:-100}
ROWS=${ROWS:-1000000 2000000}
DECRYPT_MB=${DECRYPT_MB:-1024}
JAR=$ROOT/gateway/target/callgate.jar
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
W=$(mktemp -d /tmp/callgate-bench.XXXXXX)
echo "bench work dir: $W"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; [ -n "${GNUPGHOME:-}" ] && gpgconf --kill gpg-agent 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }
RES=$W/results.tsv; : > "$RES"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$RES"; }   # case server run value

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
Subsystem sftp internal-sftp
CFG
/usr/sbin/sshd -D -f "$W/sshd_config" -E "$W/sshd.log" & PIDS+=($!)

export CALLGATE_DATA_DIR=$W/cg CALLGATE_MASTER_KEY=$(head -c32 /dev/urandom | base64)
export CALLGATE_SFTP_HOST=127.0.0.1 CALLGATE_SFTP_PORT=$CG_PORT CALLGATE_MANAGEMENT_PORT=$MGMT_PORT
export CALLGATE_BOOTSTRAP_ADMIN_NAME=bench-admin CALLGATE_BOOTSTRAP_ADMIN_PUBLIC_KEY="$(cat "$W/client.pub")"
(cd "$W" && exec java -Xmx1g -Xlog:gc:file="$W/gc.log" -jar "$JAR" serve --config "$ROOT/config/callgate.yaml" \
    > "$W/callgate.log" 2>&1) & PIDS+=($!)
CG_PID=$!
for i in $(seq 1 120); do (echo > /dev/tcp/127.0.0.1/$CG_PORT) 2>/dev/null && break; sleep 0.5; done
sleep 1
CG_JVM=$(pgrep -f "callgate.jar serve" | while read p; do grep -qz "$W" /proc/$p/environ 2>/dev/null && echo $p; done | head -1)
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

# ---------- SFTP transfers ----------
sftp_cg() { sftp -P "$CG_PORT" "${COPTS[@]}" "$@" -b - ctl@127.0.0.1 >/dev/null; }
sftp_os() { sftp -P "$SSHD_PORT" "${OPTS[@]}" "$@" -b - root@127.0.0.1 >/dev/null; }
n=0
for S in $SIZES; do
  head -c $((S * 1048576)) /dev/urandom > "$W/blob-$S"
  cp "$W/blob-$S" "$OUTBOX/dl-$S.bin"; cp "$W/blob-$S" "$W/ossh/dl-$S.bin"
  for run in $(seq 1 "$RUNS"); do
    for c in aes128-gcm@openssh.com aes256-gcm@openssh.com default; do
      copt=(); [ "$c" = default ] || copt=(-c "$c")
      n=$((n + 1))
      t0=$(now); echo "put $W/blob-$S /C1/inbox/up-$n.bin" | sftp_cg "${copt[@]}"; t1=$(now)
      record "upload ${S} MiB ${c%@*}" callgate "$run" "$(elapsed "$t0" "$t1")"
      t0=$(now); echo "put $W/blob-$S $W/ossh/up-$n.bin" | sftp_os "${copt[@]}"; t1=$(now)
      record "upload ${S} MiB ${c%@*}" openssh "$run" "$(elapsed "$t0" "$t1")"; rm -f "$W/ossh/up-$n.bin"
      t0=$(now); echo "get /C1/outbox/dl-$S.bin $W/got" | sftp_cg "${copt[@]}"; t1=$(now)
      record "download ${S} MiB ${c%@*}" callgate "$run" "$(elapsed "$t0" "$t1")"; rm -f "$W/got"
      t0=$(now); echo "get $W/ossh/dl-$S.bin $W/got" | sftp_os "${copt[@]}"; t1=$(now)
      record "download ${S} MiB ${c%@*}" openssh "$run" "$(elapsed "$t0" "$t1")"; rm -f "$W/got"
      sleep 1 # let the pipeline refuse the random upload before the next run
    done
  done
  rm -f "$OUTBOX/dl-$S.bin" "$W/ossh/dl-$S.bin"
done
CIPHERS_SEEN=$(ssh -v -p "$SSHD_PORT" "${OPTS[@]}" root@127.0.0.1 true 2>&1 | grep -m1 'cipher: ' | sed 's/.*cipher: \([^ ]*\).*/\1/' || true)
CIPHERS_CG=$(ssh -v -p "$CG_PORT" "${COPTS[@]}" ctl@127.0.0.1 true 2>&1 | grep -m1 'cipher: ' | sed 's/.*cipher: \([^ ]*\).*/\1/' || true)

# ---------- decrypt: Callgate's PgpDecryptor vs gpg --decrypt ----------
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

# ---------- end-to-end ingest ----------
heap_segment() { # max heap before GC and after GC (MiB) in gc.log lines after $1
  tail -n +"$(( $1 + 1 ))" "$W/gc.log" | grep -o '[0-9]*M->[0-9]*M' | awk -F'M->|M' '{if($1>b)b=$1; if($2>a)a=$2} END{printf "%d\t%d", b, a}'
}
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
  until [ -e "$OUTBOX/ingest-$R.csv.gpg.report.csv.gpg" ]; do
    [ -n "$CG_JVM" ] && jcmd "$CG_JVM" Thread.print 2>/dev/null | awk '/^"Camel/{getline; getline; print}' >> "$W/stacks-$R.txt" || true
    sleep 2
  done
  t1=$(now)
  secs=$(elapsed "$t0" "$t1")
  record "ingest ${R} rows" callgate 1 "$secs"
  printf '%s\t%s\n' "$R" "$(heap_segment "$gcl")" >> "$W/heap.tsv"
  sort "$W/stacks-$R.txt" | uniq -c | sort -rn | head -8 > "$W/top-$R.txt"
  rm -f "$W/ingest-$R.csv.gpg"
done

python3 "$ROOT/bench/report.py" "$W" "$RES" "${CIPHERS_SEEN:-?}" "${CIPHERS_CG:-?}" > "$ROOT/bench/RESULTS.md"
echo "wrote bench/RESULTS.md"
