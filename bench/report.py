"""bench/run.sh's reporter.

  report.py machine                      prints this machine and its software as key<TAB>value lines
  report.py render RESULTS_DIR RESULTS.md
      renders every part found in RESULTS_DIR (bench/results/<part>/: results.tsv = case server run value,
      meta.tsv = key value, and part-specific files) into RESULTS.md between the lines starting with
      <!-- generated:start and <!-- generated:end; everything outside the markers is left as it is.
      A part not re-run keeps the figures (and the date and load) of the run that produced them.
"""
import collections, datetime, io, os, platform, re, statistics, subprocess, sys

START, END = '<!-- generated:start', '<!-- generated:end'
PARTS = ['sftp', 'decrypt', 'ingest', 'concurrent', 'dsar']


def machine():
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
    mem = next((l.split()[1] for l in open('/proc/meminfo') if l.startswith('MemTotal')), '0')
    java = subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
    ssh = subprocess.run(['ssh', '-V'], capture_output=True, text=True).stderr.strip()
    gpg = subprocess.run(['gpg', '--version'], capture_output=True, text=True).stdout.splitlines()[0]
    print('machine\t%s, %d cores, %.0f GiB RAM, %s' % (cpu, os.cpu_count(), int(mem) / 1048576, platform.platform()))
    print('software\t%s; %s; %s' % (java, ssh, gpg))


def read_tsv(path):
    return [l.rstrip('\n').split('\t') for l in open(path)] if os.path.exists(path) else []


def load_part(d):
    rows = collections.OrderedDict()
    for case, server, run, value in read_tsv(os.path.join(d, 'results.tsv')):
        rows.setdefault(case, collections.defaultdict(list))[server].append(float(value))
    meta = dict(l.rstrip('\n').split('\t', 1) for l in open(os.path.join(d, 'meta.tsv'))) \
        if os.path.exists(os.path.join(d, 'meta.tsv')) else {}
    return rows, meta


def size_mib(case):
    m = re.search(r'(\d+) MiB', case)
    return int(m.group(1)) if m else None


def fmt(vals, digits=0):
    f = '%.' + str(digits) + 'f'
    return (f + ' (' + f + '–' + f + ')') % (statistics.median(vals), min(vals), max(vals))


def num(n):
    return format(int(n), ',').replace(',', ' ')


def run_line(out, meta, header_machine):
    out.write('Run: %s, %s min, load average (1 min, sampled every 5 s) median %s, at the end %s; `%s`.\n'
              % (meta.get('date', '?'), meta.get('minutes', '?'), meta.get('load', '?'), meta.get('load_end', '?'),
                 meta.get('settings', '')))
    if meta.get('machine') and meta.get('machine') != header_machine:
        out.write('Machine of this run: %s.\n' % meta['machine'])
    if meta.get('note'):
        out.write('%s\n' % meta['note'])
    out.write('\n')


def top_frames(out, path, what):
    if os.path.exists(path) and os.path.getsize(path):
        out.write('Top frames of the pipeline threads during %s (`jcmd Thread.print` every 2 s):\n\n```\n' % what)
        out.write(open(path).read().rstrip() + '\n```\n\n')


def sftp(out, d, m):
    rows, meta = load_part(d)
    out.write('## SFTP transfers (OpenSSH `sftp` client, loopback), MiB/s\n\n')
    run_line(out, meta, m)
    out.write('Cipher chosen with client defaults: OpenSSH internal-sftp `%s`, Callgate `%s`.\n\n'
              % (meta.get('cipher_openssh', '?'), meta.get('cipher_callgate', '?')))
    out.write('| case | runs | Callgate | OpenSSH internal-sftp | ratio (target ≥ 1.0) |\n|---|---|---|---|---|\n')
    for case in rows:
        s = size_mib(case)
        cg = [s / v for v in rows[case]['callgate']]
        os_ = [s / v for v in rows[case]['openssh']]
        out.write('| %s | %d | %s | %s | **%.2f** |\n'
                  % (case, len(cg), fmt(cg), fmt(os_), statistics.median(cg) / statistics.median(os_)))
    out.write('\n')
    cpu = os.path.join(d, 'cpu.tsv')
    if os.path.exists(cpu) and os.path.getsize(cpu):
        per = {}
        for case, server, secs in read_tsv(cpu):
            per.setdefault(case, collections.defaultdict(list))[server].append(float(secs) * 1024 / size_mib(case))
        out.write('Server CPU seconds (user + system) per GiB moved, median (min–max): the Callgate JVM; OpenSSH\'s '
                  'session processes (privilege-separated sshd and internal-sftp, as reaped by the sshd master). '
                  'The load of other processes changes this far less than the wall-clock figures.\n\n')
        out.write('| case | Callgate | OpenSSH internal-sftp |\n|---|---|---|\n')
        for case in per:
            out.write('| %s | %s | %s |\n' % (case, fmt(per[case]['callgate'], 2), fmt(per[case]['openssh'], 2)))
        out.write('\n')


def decrypt(out, d, m):
    rows, meta = load_part(d)
    out.write('## Decrypt throughput, MiB/s of plaintext list\n\n')
    run_line(out, meta, m)
    out.write('| case | runs | Callgate (PgpDecryptor) | `gpg --decrypt` | ratio (target ≥ 0.75) |\n|---|---|---|---|---|\n')
    for case in rows:
        s = size_mib(case)
        cg = [s / v for v in rows[case]['callgate']]
        g = [s / v for v in rows[case]['gpg']]
        out.write('| %s | %d | %s | %s | **%.2f** |\n'
                  % (case, len(cg), fmt(cg), fmt(g), statistics.median(cg) / statistics.median(g)))
    out.write('\n(MiB/s here = plaintext MiB of the list / seconds; both sides read the same encrypted file; '
              'Callgate\'s runs in one JVM after a discarded warm-up run.)\n\n')


def ingest(out, d, m):
    rows, meta = load_part(d)
    out.write('## End-to-end ingest (upload closed → records stored → report in the outbox)\n\n')
    run_line(out, meta, m)
    heap = {r[0]: (r[1], r[2]) for r in read_tsv(os.path.join(d, 'heap.tsv'))}
    out.write('| rows | seconds | rows/s (target ≥ 100 000) | heap before GC, max MiB | heap after GC, max MiB (-Xmx1g) |\n')
    out.write('|---|---|---|---|---|\n')
    for case in rows:
        n = int(case.split()[1])
        secs = rows[case]['callgate'][0]
        b, a = heap.get(str(n), ('?', '?'))
        out.write('| %s | %.1f | **%s** | %s | %s |\n' % (num(n), secs, num(n / secs), b, a))
    out.write('\n')
    for f in sorted(os.listdir(d)):
        if f.startswith('top-'):
            top_frames(out, os.path.join(d, f), 'the %s-row ingest' % num(f[4:-4]))


def concurrent(out, d, m):
    _, meta = load_part(d)
    lists = read_tsv(os.path.join(d, 'lists.tsv'))
    enc = {r[0]: int(r[1]) for r in read_tsv(os.path.join(d, 'encrypted.tsv'))}
    reports = read_tsv(os.path.join(d, 'reports.tsv'))
    n = len(lists)
    t0 = float(meta['t0'])
    out.write('## %d concurrent SFTP sessions, each uploading one encrypted call list\n\n' % n)
    run_line(out, meta, m)
    out.write('Each session is one OpenSSH `sftp` process (one controller account, from 127.0.0.1) putting one '
              'gpg-encrypted list (gpg default compression) into `/C1/inbox`; all started at once. Session caps '
              'raised for this case: `%s` (shipped: 8 per account, 20 per source address, 200 in all). '
              'The reference is the same uploads to OpenSSH internal-sftp, run just before.\n\n'
              % meta.get('session_caps', '?'))
    rows_list = [int(r[1]) for r in lists]
    plain = [int(r[2]) / 1048576 for r in lists]
    enc_mib = [v / 1048576 for v in enc.values()]

    def sessions(name):
        s = read_tsv(os.path.join(d, 'sessions-%s.tsv' % name))
        failed = sum(1 for r in s if r[1] != '0')
        start = min(float(r[2]) for r in s)
        last = max(float(r[3]) for r in s)
        dur = [float(r[3]) - float(r[2]) for r in s]
        return failed, len(s), start, last, dur

    cf, cn, cs, cl, cd = sessions('callgate')
    of, on, os_, ol, od = sessions('openssh')
    outcome = collections.Counter(r[1] for r in reports)
    acc_rows = sum(int(r[2]) for r in reports)
    rej_rows = sum(int(r[3]) for r in reports)
    mt = [float(r[4]) for r in reports if r[4]]
    last_report = max(mt) - t0 if mt else float('nan')
    total_enc = sum(enc_mib)
    heap = meta.get('heap', '? ?').split()
    out.write('| figure | Callgate | reference |\n|---|---|---|\n')
    out.write('| lists | %d × %s MiB plaintext, %s rows each (%s in all); encrypted %.1f MiB each, %.0f MiB in all | |\n'
              % (n, '%.0f' % statistics.median(plain), num(statistics.median(rows_list)), num(sum(rows_list)),
                 statistics.median(enc_mib), total_enc))
    out.write('| uploads failed (`sftp` exit ≠ 0) | **%d** of %d | target 0; OpenSSH: %d of %d |\n' % (cf, cn, of, on))
    out.write('| reports in the outbox | **%d** of %d%s | target all |\n'
              % (len(mt), n, ' (gave up waiting)' if meta.get('timed_out') == '1' else ''))
    out.write('| lists accepted / rejected (reports) | **%d / %d** | target all accepted |\n'
              % (outcome.get('accepted', 0), outcome.get('rejected', 0) + outcome.get('?', 0)))
    out.write('| lists accepted / rejected (`callgate_ingest_files_total`) | %s / %s | |\n'
              % (meta.get('files_accepted_metric', '?'), meta.get('files_rejected_metric', '?')))
    out.write('| pipeline stage failures (`callgate_pipeline_failures_total`, retried) | %s | target 0 |\n'
              % meta.get('pipeline_failures', '?'))
    out.write('| rows accepted / rejected | %s / %s | all %s |\n' % (num(acc_rows), num(rej_rows), num(sum(rows_list))))
    out.write('| first upload start → last upload done, s | **%.1f** | OpenSSH internal-sftp: %.1f |\n'
              % (cl - cs, ol - os_))
    out.write('| one session\'s upload, s, median (min–max) | %s | OpenSSH internal-sftp: %s |\n'
              % (fmt(cd, 1), fmt(od, 1)))
    out.write('| all uploads together, MiB/s of encrypted lists | %.1f | OpenSSH internal-sftp: %.1f |\n'
              % (total_enc / (cl - cs), total_enc / (ol - os_)))
    out.write('| first upload start → last report in the outbox (drain), s | **%.1f** | |\n' % last_report)
    out.write('| last upload done → last report, s | %.1f | |\n' % (t0 + last_report - cl))
    out.write('| rows/s over the drain (rows accepted / first upload start → last report) | **%s** | ingest target ≥ 100 000 |\n'
              % num(acc_rows / last_report if last_report == last_report and last_report > 0 else 0))
    out.write('| heap before GC / after GC, max MiB | %s / %s | -Xmx1g |\n\n' % (heap[0], heap[-1]))
    top_frames(out, os.path.join(d, 'top-concurrent.txt'), 'the concurrent uploads and their drain')


def dsar(out, d, m):
    _, meta = load_part(d)
    lines = read_tsv(os.path.join(d, 'dsar.tsv'))
    load = next((l for l in lines if l[0] == 'load'), None)
    cold = next((l for l in lines if l[0] == 'cold'), None)
    out.write('## DSAR search over %s stored records\n\n' % (num(load[1]) if load else '?'))
    run_line(out, meta, m)
    disk = read_tsv(os.path.join(d, 'disk-mib.txt'))
    out.write('`bench/DsarBench.java`: records stored through the record store\'s write path (parts, Lucene index, '
              'record sets) in ten sets of two campaigns%s%s; 2 000 probe persons with real HMACs among them, each '
              'stored twice in sets of different campaigns; store closed and reopened, then each search for a '
              'different random person, every answer checked (both records found, nothing else).\n\n'
              % (', loaded in %.0f s' % float(load[2]) if load else '',
                 ', %s MiB on disk' % num(disk[0][0]) if disk else ''))
    if cold:
        out.write('First search after opening (cold caches): %.1f ms.\n\n' % float(cold[1]))
    out.write('| search | n | p50 ms | p95 ms (target < 100) | max ms | wrong answers |\n|---|---|---|---|---|---|\n')
    for l in lines:
        if len(l) == 6:
            out.write('| %s | %s | %s | **%s** | %s | %s |\n' % tuple(l))
    out.write('\n')


def render(results, target):
    present = [p for p in PARTS if os.path.isdir(os.path.join(results, p))]
    metas = {p: load_part(os.path.join(results, p))[1] for p in present}
    newest = max(present, key=lambda p: metas[p].get('date', '')) if present else None
    m = metas[newest].get('machine', '?') if newest else '?'
    out = io.StringIO()
    out.write('%s: written by bench/report.py from bench/results/ on every bench/run.sh; edit outside the markers -->\n\n' % START)
    out.write('Produced by `bench/run.sh` (see [README.md](README.md)). Every Callgate figure is measured in the same run '
              'as its reference, runs interleaved; figures are the median of the runs with min–max in brackets. '
              'Each part below gives the run it comes from (parts can be re-run alone with `PARTS=`).\n\n')
    out.write('| | |\n|---|---|\n')
    out.write('| machine | %s |\n' % m)
    out.write('| software | %s |\n' % (metas[newest].get('software', '?') if newest else '?'))
    out.write('| rendered | %s |\n\n' % datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))
    for p in present:
        globals()[p](out, os.path.join(results, p), m)
    missing = [p for p in PARTS if p not in present]
    if missing:
        out.write('Parts of `bench/run.sh` with no results yet: %s.\n\n' % ', '.join(missing))
    out.write('%s -->\n' % END)
    gen = out.getvalue()
    if os.path.exists(target):
        text = open(target).read()
        if START not in text or END not in text:
            sys.exit('%s has no %s … %s markers; not overwriting it' % (target, START, END))
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        tail = tail.split('\n', 1)[1] if '\n' in tail else ''
        text = head + gen + tail
    else:
        text = '# Callgate benchmark results\n\n' + gen + '\n## Where the time goes\n\n(hand-written)\n'
    with open(target, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    if sys.argv[1] == 'machine':
        machine()
    elif sys.argv[1] == 'render':
        render(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
