# SPDX-License-Identifier: GPL-2.0-or-later
# test_report.py - `vmiscope report` on hand-made JSON logs, opened in
# headless Chromium (Debian's `chromium`; scripts/setup installs it).
#
# The logs describe one workload twice: with ProcessKeys (normal mode) and
# without keys or GroupExit (as --drakvuf-compat writes them). It has
# start-up lines out of order, forks, an exec chain, a setuid-style uid
# change, PID reuse (PID 60 twice), a thread (clone and exit), signals, a
# death by SIGTERM, by SIGKILL and by SIGSEGV with a core, and hostile
# strings (<script>, quotes, newlines, U+2028, "</script>") in names,
# command lines and argv. The expected tree below is written by hand from
# that story. The test checks the rendered DOM (after the page's JS ran)
# against it, that hostile strings stay text, that expand/collapse work,
# that the page loads nothing, and keeps a screenshot:
#   $VMISCOPE_BUILD_DIR/test-artifacts/report.png
import html.parser
import json
import os
import shutil
import subprocess

import pytest

from conftest import build_dir
from helpers.schema import check_json_lines

CHROMIUM = shutil.which('chromium')
HOSTILE_CMD = ('echo "<script>alert(1)</script>" \'q"uote\'\nsecond line '
               '</script><script>document.title="PWNED"</script> \u2028end')
HOSTILE_IMG = "/tmp/<img src=x onerror=\"document.title='PWNED'\">"
HOSTILE_ARGV = [HOSTILE_IMG, '<script>alert(1)</script>', 'q"uote', '', 'a\nb',
                '</script><script>document.title="PWNED"</script>']


class Log:
    """Builds event lines; keyed=False drops keys and GroupExit."""

    def __init__(self, keyed):
        self.keyed = keyed
        self.lines = []
        self.t = 0

    def _head(self, pid, ppid, name, method, tid=None, uid=0):
        self.t += 1
        return {'Plugin': 'procmon', 'TimeStamp': '1700000100.%06d' % (self.t * 1000),
                'PID': pid, 'PPID': ppid, 'TID': tid or pid, 'UserId': uid,
                'ProcessName': name, 'Method': method,
                'EventUID': '0x%x' % self.t}

    def _add(self, d, **keys):
        for k, v in keys.items():
            if self.keyed and v is not None:
                d[k] = v
        self.lines.append(json.dumps(d, ensure_ascii=False,
                                     separators=(',', ':')))

    def running(self, pid, ppid, name, key, pkey):
        d = {'Plugin': 'procmon', 'TimeStamp': '1700000100.000000',
             'PID': pid, 'PPID': ppid, 'RunningProcess': name, 'Bitness': 64}
        self._add(d, ProcessKey=key, ParentProcessKey=pkey)

    def clone(self, pid, ppid, name, key, newpid, newkey, flags=''):
        d = self._head(pid, ppid, name, 'kernel_clone')
        d.update({'Flags': flags, 'Signal': 0 if 'THREAD' in flags else 17,
                  'SignalStr': 'SIGCHECK' if 'THREAD' in flags else 'SIGCHLD',
                  'NewPid': newpid})
        self._add(d, ProcessKey=key, NewProcessKey=newkey)

    def exec_(self, pid, ppid, old, new, argv, key, pkey, uids=(0, 0, 0, 0)):
        ouid, oeuid, uid, euid = uids
        d = self._head(pid, ppid, old, 'begin_new_exec', uid=uid)
        d.update({'ThreadName': os.path.basename(old)[:15],
                  'CommandLine': ' '.join(argv), 'ImagePathName': new,
                  'ouid': ouid, 'osuid': ouid, 'oeuid': oeuid, 'suid': euid,
                  'euid': euid, 'FileName': new})
        if self.keyed:
            d['Arguments'] = argv
        self._add(d, ProcessKey=key, ParentProcessKey=pkey)

    def exit(self, pid, ppid, name, key, status, tid=None, sig=None,
             core=False, group=True):
        d = self._head(pid, ppid, name, 'do_exit', tid=tid)
        names = {0: 'EXIT_SUCCESS', 3: 'EXIT_FAILURE'}
        sname = {9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM'}
        d.update({'ThreadName': os.path.basename(name)[:15],
                  'ExitStatus': status,
                  'ExitStatusStr': 'EXIT_' + sname[sig] if sig else
                  names.get(status, 'UNDEFINED')})
        if self.keyed and sig:
            d.update({'ExitSignal': sig, 'ExitSignalStr': sname[sig]})
            if core:
                d['CoreDumped'] = 1
        self._add(d, GroupExit=1 if group else None, ProcessKey=key)

    def signal(self, pid, ppid, name, key, tpid, tppid, tname, tkey, sig,
               sname):
        d = self._head(pid, ppid, name, 'do_send_sig_info')
        d.update({'ThreadName': 'sh', 'TargetPID': tpid, 'TargetTID': tpid,
                  'TargetPPID': tppid, 'TargetProcessName': tname,
                  'TargetThreadName': os.path.basename(tname)[:15],
                  'Signal': sig, 'SignalStr': sname})
        self._add(d, ProcessKey=key, TargetProcessKey=tkey)


def workload(keyed):
    g = Log(keyed)
    k = lambda pid, start: 'r1-%d-%d' % (pid, start)  # noqa: E731
    SH, BB = '/bin/sh', '/bin/busybox'
    # start-up list, child before parent
    g.running(50, 1, SH, k(50, 500), k(1, 100))
    g.running(0, 0, 'swapper/0', k(0, 0), None)
    g.running(1, 0, BB, k(1, 100), k(0, 0))
    # 60: sleep, killed by SIGTERM
    g.clone(50, 1, SH, k(50, 500), 60, k(60, 1000))
    g.exec_(60, 50, SH, '/usr/bin/sleep', ['sleep', '100'], k(60, 1000),
            k(50, 500))
    # 61: uid 0 -> 1000 at exec, forks 62 (hostile), exits 3
    g.clone(50, 1, SH, k(50, 500), 61, k(61, 1100))
    g.exec_(61, 50, SH, '/usr/bin/runuser', ['runuser', '-u', 'user', 'x'],
            k(61, 1100), k(50, 500), uids=(0, 0, 1000, 1000))
    g.clone(61, 50, '/usr/bin/runuser', k(61, 1100), 62, k(62, 1200))
    g.exec_(62, 61, '/usr/bin/runuser', HOSTILE_IMG, HOSTILE_ARGV,
            k(62, 1200), k(61, 1100), uids=(1000, 1000, 1000, 1000))
    g.lines[-1] = g.lines[-1].replace(
        json.dumps(' '.join(HOSTILE_ARGV), ensure_ascii=False),
        json.dumps(HOSTILE_CMD, ensure_ascii=False))
    g.exit(62, 61, HOSTILE_IMG, k(62, 1200), 0)
    g.signal(50, 1, SH, k(50, 500), 60, 50, '/usr/bin/sleep', k(60, 1000),
             15, 'SIGTERM')
    g.exit(60, 50, '/usr/bin/sleep', k(60, 1000), 143, sig=15)
    g.exit(61, 50, '/usr/bin/runuser', k(61, 1100), 3)
    # PID 60 again: yes, killed by SIGKILL
    g.clone(50, 1, SH, k(50, 500), 60, k(60, 2000))
    g.exec_(60, 50, SH, '/usr/bin/yes', ['yes'], k(60, 2000), k(50, 500))
    g.signal(50, 1, SH, k(50, 500), 60, 50, '/usr/bin/yes', k(60, 2000),
             9, 'SIGKILL')
    g.exit(60, 50, '/usr/bin/yes', k(60, 2000), 137, sig=9)
    # a thread of 50: created and gone, no process
    g.clone(50, 1, SH, k(50, 500), 70, None, flags='CLONE_VM|CLONE_THREAD')
    g.exit(50, 1, SH, k(50, 500), 0, tid=70, group=False)
    # 63: exec chain sh -c ls -> ls, SIGSEGV with core
    g.clone(50, 1, SH, k(50, 500), 63, k(63, 3000))
    g.exec_(63, 50, SH, SH, ['sh', '-c', 'ls -l'], k(63, 3000), k(50, 500))
    g.exec_(63, 50, SH, '/bin/ls', ['ls', '-l'], k(63, 3000), k(50, 500))
    g.exit(63, 50, '/bin/ls', k(63, 3000), 139, sig=11, core=True)
    return '\n'.join(g.lines) + '\n'


# (pid, name, exit text, [children]) - by hand from the story above
EXPECTED = (0, 'swapper/0', '', [
    (1, 'busybox', '', [
        (50, 'sh', '', [
            (60, 'sleep', 'killed by SIGTERM', []),
            (61, 'runuser', 'exit 3', [
                (62, HOSTILE_IMG.rsplit('/', 1)[1], 'exit 0', []),
            ]),
            (60, 'yes', 'killed by SIGKILL', []),
            (63, 'ls', 'killed by SIGSEGV', []),
        ]),
    ]),
])


class DomTree(html.parser.HTMLParser):
    """The li.proc nesting, signal rows, scripts and images of a DOM dump."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # open li.proc (None for other li) per level
        self.roots = []
        self.tags = []
        self.signals = []
        self.scripts = self.imgs = 0
        self.body = {}
        self.in_title = False
        self.title = ''
        self.text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'script':
            self.scripts += 1
        if tag == 'img':
            self.imgs += 1
        if tag == 'title':
            self.in_title = True
        if tag == 'body':
            self.body = a
        if tag == 'tr' and 'signal' in (a.get('class') or '').split():
            self.signals.append((int(a['data-from']), int(a['data-to']),
                                 int(a['data-sig'])))
        if tag == 'li':
            node = None
            if 'proc' in (a.get('class') or '').split():
                node = {'id': int(a['data-id']), 'pid': int(a['data-pid']),
                        'parent': int(a['data-parent']),
                        'name': a['data-name'], 'exit': a['data-exit'],
                        'kids': [], 'cls': a.get('class')}
                up = [n for n in self.stack if n]
                (up[-1]['kids'] if up else self.roots).append(node)
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag == 'li' and self.stack:
            self.stack.pop()
        if tag == 'title':
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        self.text.append(data)


def shape(node):
    exit_ = node['exit']
    return (node['pid'], node['name'],
            exit_.split(' (')[0] if exit_.startswith('killed') else exit_,
            [shape(k) for k in node['kids']])


def chromium(args, tmp_path):
    if CHROMIUM is None:
        pytest.fail('chromium not installed (scripts/setup installs it)')
    prof = tmp_path / ('profile-%d' % len(list(tmp_path.iterdir())))
    cmd = [CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu',
           '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
           '--user-data-dir=%s' % prof] + args
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=180)
    assert r.returncode == 0, r.stderr.decode('utf-8', 'replace')[-3000:]
    return r.stdout.decode('utf-8')


def make_report(vmiscope, tmp_path, keyed):
    log = tmp_path / ('log<b>&"x\'%s.jsonl' % ('keys' if keyed else 'nokeys'))
    text = workload(keyed)
    log.write_text(text, encoding='utf-8')
    out = tmp_path / ('report-%s.html' % ('keys' if keyed else 'nokeys'))
    r = subprocess.run([vmiscope, 'report', str(log), '-o', str(out)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b'' and r.stderr == b''
    return text, out


@pytest.mark.parametrize('keyed', [True, False], ids=['keys', 'nokeys'])
def test_log_lines_are_valid_events(keyed):
    assert check_json_lines(workload(keyed), require_keys=keyed) > 20


@pytest.fixture(scope='module', params=[True, False], ids=['keys', 'nokeys'])
def rendered(request, vmiscope, tmp_path_factory):
    tmp = tmp_path_factory.mktemp('report')
    text, page = make_report(vmiscope, tmp, request.param)
    dom = chromium(['--dump-dom', page.as_uri()], tmp)
    t = DomTree()
    t.feed(dom)
    return request.param, page, dom, t


def test_tree_equals_the_workload(rendered):
    keyed, _, _, t = rendered
    assert t.body.get('data-ready') == '1', 'the page script did not finish'
    assert len(t.roots) == 1
    assert shape(t.roots[0]) == EXPECTED


def test_nesting_matches_parent_ids(rendered):
    _, _, _, t = rendered
    todo = [(n, -1) for n in t.roots]
    seen = set()
    while todo:
        n, parent = todo.pop()
        assert n['parent'] == parent
        assert n['id'] not in seen
        seen.add(n['id'])
        todo += [(k, n['id']) for k in n['kids']]
    # swapper, busybox, sh, sleep, runuser, the hostile one, yes, ls
    assert len(seen) == 8


def test_signals_between_processes(rendered):
    _, _, _, t = rendered
    ids = {}
    todo = list(t.roots)
    while todo:
        n = todo.pop()
        ids.setdefault((n['pid'], n['name']), n['id'])
        todo += n['kids']
    assert t.signals == [(ids[(50, 'sh')], ids[(60, 'sleep')], 15),
                         (ids[(50, 'sh')], ids[(60, 'yes')], 9)]


def test_command_lines_and_uid_change_shown(rendered):
    keyed, _, _, t = rendered
    text = ''.join(t.text)
    assert 'runuser -u user x' in text
    assert 'uid 0\u21921000' in text and 'euid 0\u21921000' in text
    assert HOSTILE_CMD in text          # shown as text, byte for byte
    assert 'sh -c ls -l' in text and 'ls -l' in text
    assert '2 execs' in text
    assert 'core dumped' in text or not keyed


def test_hostile_strings_are_inert(rendered):
    _, page, dom, t = rendered
    raw = page.read_text(encoding='utf-8')
    assert raw.count('<script') == 2            # the data and the code
    assert '<script>alert' not in raw and '<img' not in raw
    assert '\u2028' not in raw
    assert t.scripts == 2 and t.imgs == 0
    assert 'PWNED' not in t.title
    assert t.title.startswith('vmiscope report: /')
    assert t.title.endswith('/log<b>&"x\'%s.jsonl' % (
        'keys' if rendered[0] else 'nokeys'))
    assert '<b>' not in raw.split('<title>')[1].split('</title>')[0]


def test_page_loads_nothing(rendered):
    _, page, _, _ = rendered
    raw = page.read_text(encoding='utf-8')
    assert "default-src 'none'" in raw
    for bad in ('src="http', "src='http", 'href="http', '<link', '@import',
                'url(', 'fetch(', 'XMLHttpRequest'):
        assert bad not in raw, bad


SELFTEST = '''<script>
(function () {
  var r = {};
  var li = document.querySelector('li.proc[data-pid="50"]');
  var ul = li.querySelector(':scope > ul');
  r.before = getComputedStyle(ul).display;
  li.querySelector(':scope > .row > .tog').click();
  r.collapsed = getComputedStyle(ul).display;
  document.getElementById('expand-all').click();
  r.expanded = getComputedStyle(ul).display;
  document.getElementById('collapse-all').click();
  r.all = Array.prototype.every.call(document.querySelectorAll('li.proc'),
    function (x) { return !x.querySelector('ul') || getComputedStyle(x.querySelector(':scope > ul')).display === 'none'; });
  var d = li.querySelector(':scope > .detail');
  r.detailBefore = getComputedStyle(d).display;
  li.querySelector(':scope > .row > .name').click();
  r.detailAfter = getComputedStyle(d).display;
  document.body.setAttribute('data-selftest', JSON.stringify(r));
})();
</script>
</body>'''


def test_expand_collapse(rendered, tmp_path):
    _, page, _, _ = rendered
    copy = tmp_path / 'selftest.html'
    copy.write_text(page.read_text(encoding='utf-8').replace('</body>',
                                                             SELFTEST),
                    encoding='utf-8')
    t = DomTree()
    t.feed(chromium(['--dump-dom', copy.as_uri()], tmp_path))
    r = json.loads(t.body['data-selftest'])
    assert r == {'before': 'block', 'collapsed': 'none', 'expanded': 'block',
                 'all': True, 'detailBefore': 'none', 'detailAfter': 'block'}


def test_screenshot(rendered, tmp_path):
    keyed, page, _, _ = rendered
    art = os.path.join(build_dir(), 'test-artifacts')
    os.makedirs(art, exist_ok=True)
    png = os.path.join(art, 'report.png' if keyed else 'report-nokeys.png')
    if os.path.exists(png):
        os.unlink(png)
    chromium(['--screenshot=%s' % png, '--window-size=1280,900',
              '--hide-scrollbars', page.as_uri()], tmp_path)
    with open(png, 'rb') as fh:
        head = fh.read(24)
    assert head[:8] == b'\x89PNG\r\n\x1a\n'
    assert int.from_bytes(head[16:20], 'big') == 1280


def test_bad_input(vmiscope, tmp_path):
    log = tmp_path / 'not-json.txt'
    log.write_text('[PROCMON] TIME:1 PID:1 PPID:0 RunningProcess:"x"\n')
    out = tmp_path / 'x.html'
    r = subprocess.run([vmiscope, 'report', str(log), '-o', str(out)],
                       stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 1 and b'-o json' in r.stderr
    assert not out.exists()
    r = subprocess.run([vmiscope, 'report', str(log)],
                       stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 2
    r = subprocess.run([vmiscope, 'report', str(tmp_path / 'missing'), '-o',
                        str(out)], stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 1 and not out.exists()


def test_garbage_lines_are_skipped(vmiscope, tmp_path):
    text = workload(True)
    lines = text.split('\n')
    lines.insert(3, '{"PID": "x", "Method": 5, "TimeStamp": []}')
    lines.insert(5, 'not json at all \xff')
    lines.insert(7, '[1,2,3]')
    lines.insert(9, '{"Plugin":"procmon","PID":-1,"PPID":-1,"Method":'
                    '"kernel_clone","NewPid":99999999999,"Flags":7}')
    log = tmp_path / 'mixed.jsonl'
    log.write_bytes('\n'.join(lines).encode('utf-8', 'surrogateescape'))
    out = tmp_path / 'mixed.html'
    r = subprocess.run([vmiscope, 'report', str(log), '-o', str(out)],
                       stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 0, r.stderr
    assert b'2 of' in r.stderr and b'skipped' in r.stderr
    assert out.stat().st_size > 10000
