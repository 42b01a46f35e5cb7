"""Turns bench/run.sh's results.tsv into bench/RESULTS.md (a Markdown table, medians of the runs)."""
import collections, datetime, os, platform, re, statistics, subprocess, sys

work, res, cipher_os, cipher_cg = sys.argv[1:5]
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(res):
    case, server, run, value = line.rstrip('\n').split('\t')
    rows[case][server].append(float(value))

def size_mib(case):
    m = re.search(r'(\d+) MiB', case)
    return int(m.group(1)) if m else None

def fmt(vals):
    return '%.0f (%.0f–%.0f)' % (statistics.median(vals), min(vals), max(vals))

cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
mem = next((l.split()[1] for l in open('/proc/meminfo') if l.startswith('MemTotal')), '0')
java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
ssh = subprocess.run(['ssh', '-V'], capture_output=True, text=True).stderr.strip()
gpg = subprocess.run(['gpg', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
load = open('/proc/loadavg').read().split()[:3]
print('# Callgate benchmark results\n')
print('Produced by `bench/run.sh` (see bench/README.md). Every Callgate figure is measured in the same run as')
print('its reference, runs interleaved; figures are the median of the runs with min–max in brackets.\n')
print('| | |\n|---|---|')
print('| date | %s |' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))
print('| machine | %s, %d cores, %.0f GiB RAM, %s |' % (cpu, os.cpu_count(), int(mem) / 1048576, platform.platform()))
print('| load average at the end | %s (shared machine: other builds were running) |' % ' '.join(load))
print('| software | %s; %s; %s |' % (java, ssh, gpg))
print('| cipher chosen with client defaults | OpenSSH internal-sftp: `%s`; Callgate: `%s` |' % (cipher_os, cipher_cg))
print()
print('## SFTP transfers (OpenSSH `sftp` client, loopback), MiB/s\n')
print('| case | runs | Callgate | OpenSSH internal-sftp | ratio (target ≥ 1.0) |')
print('|---|---|---|---|---|')
for case in rows:
    if not case.startswith(('upload', 'download')):
        continue
    s = size_mib(case)
    cg = [s / v for v in rows[case]['callgate']]
    os_ = [s / v for v in rows[case]['openssh']]
    ratio = statistics.median(cg) / statistics.median(os_)
    print('| %s | %d | %s | %s | **%.2f** |' % (case, len(cg), fmt(cg), fmt(os_), ratio))
print()
print('## Decrypt throughput, MiB/s of plaintext list\n')
print('| case | runs | Callgate (PgpDecryptor) | `gpg --decrypt` | ratio (target ≥ 0.75) |')
print('|---|---|---|---|---|')
for case in rows:
    if not case.startswith('decrypt'):
        continue
    s = size_mib(case)
    cg = [s / v for v in rows[case]['callgate']]
    g = [s / v for v in rows[case]['gpg']]
    print('| %s | %d | %s | %s | **%.2f** |' % (case, len(cg), fmt(cg), fmt(g), statistics.median(cg) / statistics.median(g)))
print('\n(MiB/s here = plaintext MiB of the list / seconds; both sides read the same encrypted file.)\n')
print('## End-to-end ingest (upload closed → records stored → report in the outbox)\n')
heap = {}
if os.path.exists(os.path.join(work, 'heap.tsv')):
    for l in open(os.path.join(work, 'heap.tsv')):
        r, before, after = l.split()
        heap[r] = (before, after)
print('| rows | seconds | rows/s (target ≥ 100 000) | heap before GC, max MiB | live heap after GC, max MiB (-Xmx1g) |')
print('|---|---|---|---|---|')
for case in rows:
    if not case.startswith('ingest'):
        continue
    n = int(case.split()[1])
    secs = rows[case]['callgate'][0]
    b, a = heap.get(str(n), ('?', '?'))
    print('| %s | %.1f | **%.0f** | %s | %s |' % (format(n, ',').replace(',', ' '), secs, n / secs, b, a))
print()
for f in sorted(os.listdir(work)):
    if f.startswith('top-'):
        print('Top frames of the pipeline threads during the %s-row ingest (jcmd Thread.print every 2 s):\n' % f[4:-4])
        print('```')
        print(open(os.path.join(work, f)).read().rstrip())
        print('```\n')
print('## Not measured in this run\n')
print('- Block list import of 1 000 000 numbers: pending, the feature lands in issue 4.')
print('- DSAR search over 10 000 000 records: pending, the feature lands in issue 6.')
print('- Shredding 10 000 due datasets: pending, the feature lands in issue 7.')
print('- 50 concurrent SFTP sessions × 10 MiB lists: not built yet.')
