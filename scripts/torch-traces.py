#!/usr/bin/python3
"""Regenerates fixtures/traces/torch/: small traces written by PyTorch's own profiler.

Run with Debian's python3-torch:  /usr/bin/python3 scripts/torch-traces.py
(`python3` on PATH may be another interpreter without torch.)

What it writes (see fixtures/traces/torch/README.md for what each file tests):
- legacy-pipeline.json     torch.autograd.profiler (legacy) export_chrome_trace of a pipeline with
                           record_function ranges, one named "decode/upsample" and one with `"` and `\\`
                           in its name, which the legacy exporter writes unescaped (invalid JSON).
- legacy-pipeline.json.gz  another run of the same pipeline, gzip-compressed (this build's legacy exporter
                           writes plain text whatever the name, so the script compresses it, as Kineto's
                           exporter does for a ".gz" name).
- schedule/step-*.json     torch.profiler.profile with schedule(active=1, repeat=2): two files for one run,
                           each numbering its events from the profiler's own start.
- kineto-style.json        the CPU events of a real run laid out as libkineto's ChromeTraceLogger writes them
                           (epoch-scale float µs, categories, the "PyTorch Profiler (0)" window, a GPU stream
                           with one kernel per aten::mm and `ac2g` flow arrows from each cudaLaunchKernel).
                           This Debian build has no Kineto and no GPU, so the layout and the device lane are
                           built here from the format, not recorded.
- perfetto-style.json      B/E events on a main and a worker thread with thread names, flow arrows between
                           them, counters and instants, as Perfetto's JSON importer reads them (synthetic).
"""
import gzip
import json
import os
import shutil
import sys
import tempfile

import torch
from torch.autograd import profiler as legacy

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'traces', 'torch')
torch.manual_seed(0)
X = torch.randn(32, 32)


def pipeline(steps: int = 2) -> None:
    with legacy.record_function('pipeline'):
        with legacy.record_function('preprocess'):
            y = torch.relu(X)
        with legacy.record_function('decode'):
            with legacy.record_function('decode/upsample'):
                for _ in range(steps):
                    y = y @ X
        with legacy.record_function('say "hi" \\ there'):
            y = torch.tanh(y)
        with legacy.record_function('encode'):
            y.sum()


def legacy_trace(path: str) -> None:
    with legacy.profile(use_kineto=False) as prof:
        pipeline()
    prof.export_chrome_trace(path)


def scheduled_traces(directory: str) -> None:
    os.makedirs(directory, exist_ok=True)

    def handler(p):
        p.export_chrome_trace(os.path.join(directory, f'step-{p.step_num}.json'))

    schedule = torch.profiler.schedule(wait=0, warmup=0, active=1, repeat=2)
    with torch.profiler.profile(schedule=schedule, on_trace_ready=handler) as p:
        for _ in range(2):
            with torch.profiler.record_function('step'):
                pipeline(steps=1)
            p.step()


def kineto_style(legacy_events: list) -> dict:
    """Kineto's layout around real CPU events: what a CUDA build of torch.profiler writes."""
    base = 1_790_000_000_000_000.0  # epoch µs (2026): floats here have 0.25 µs spacing
    pid, tid = 4242, 4242
    events = []
    for e in legacy_events:
        if e.get('ph') != 'X':
            continue
        user = not e['name'].startswith('aten::')
        events.append({
            'ph': 'X', 'cat': 'user_annotation' if user else 'cpu_op', 'name': e['name'], 'pid': pid, 'tid': tid,
            'ts': base + e['ts'] + 0.123, 'dur': float(e['dur']) + 0.5, 'args': {'External id': len(events) + 1},
        })
    start = min(e['ts'] for e in events)
    end = max(e['ts'] + e['dur'] for e in events)
    window = {'ph': 'X', 'cat': 'Trace', 'name': 'PyTorch Profiler (0)', 'pid': 'Spans', 'tid': 'PyTorch Profiler',
              'ts': start - 5, 'dur': end - start + 10, 'args': {'Op count': 0}}
    extras = [window, {'ph': 'i', 'cat': 'Trace', 'name': 'Iteration Start: PyTorch Profiler', 'pid': 'Spans',
                       'tid': 'PyTorch Profiler', 'ts': start - 5, 's': 'g'}]
    # One kernel per aten::mm, launched from inside it and running on stream 7 after the launch returns.
    gpu_busy = 0.0
    for n, mm in enumerate([e for e in events if e['name'] == 'aten::mm'], start=1):
        launch_ts = mm['ts'] + mm['dur'] / 2
        extras.append({'ph': 'X', 'cat': 'cuda_runtime', 'name': 'cudaLaunchKernel', 'pid': pid, 'tid': tid,
                       'ts': launch_ts, 'dur': 3.25, 'args': {'correlation': n, 'External id': mm['args']['External id']}})
        kernel_ts = max(launch_ts + 4.0, gpu_busy)
        extras.append({'ph': 'X', 'cat': 'kernel', 'name': 'volta_sgemm_32x32_nn', 'pid': 0, 'tid': 7,
                       'ts': kernel_ts, 'dur': 6.5, 'args': {'correlation': n, 'stream': 7, 'device': 0}})
        gpu_busy = kernel_ts + 6.5
        extras.append({'ph': 's', 'id': n, 'pid': pid, 'tid': tid, 'ts': launch_ts, 'cat': 'ac2g', 'name': 'ac2g'})
        extras.append({'ph': 'f', 'id': n, 'pid': 0, 'tid': 7, 'ts': kernel_ts, 'cat': 'ac2g', 'name': 'ac2g', 'bp': 'e'})
    metadata = [
        {'name': 'process_name', 'ph': 'M', 'ts': start, 'pid': pid, 'tid': 0, 'args': {'name': 'python3'}},
        {'name': 'process_name', 'ph': 'M', 'ts': start, 'pid': 0, 'tid': 0, 'args': {'name': 'GPU 0'}},
        {'name': 'thread_name', 'ph': 'M', 'ts': start, 'pid': 0, 'tid': 7, 'args': {'name': 'stream 7'}},
    ]
    return {
        'schemaVersion': 1,
        'deviceProperties': [{'id': 0, 'name': 'synthetic GPU lane', 'computeMajor': 7, 'computeMinor': 0}],
        'traceEvents': metadata + events + extras,
        'traceName': 'kineto-style.json',
        'displayTimeUnit': 'ms',
        'baseTimeNanoseconds': 0,
    }


def perfetto_style() -> dict:
    """B/E slices on two threads of one process; the main thread waits for the worker (flow arrow)."""
    pid = 100
    ev = [
        {'ph': 'M', 'name': 'process_name', 'pid': pid, 'tid': 1, 'args': {'name': 'pipeline.py'}},
        {'ph': 'M', 'name': 'thread_name', 'pid': pid, 'tid': 1, 'args': {'name': 'main'}},
        {'ph': 'M', 'name': 'thread_name', 'pid': pid, 'tid': 2, 'args': {'name': 'decoder-worker'}},
        {'ph': 'B', 'name': 'generate', 'pid': pid, 'tid': 1, 'ts': 1000},
        {'ph': 'B', 'name': 'preprocess', 'pid': pid, 'tid': 1, 'ts': 1010},
        {'ph': 'E', 'pid': pid, 'tid': 1, 'ts': 1100},
        {'ph': 'B', 'name': 'decode', 'pid': pid, 'tid': 1, 'ts': 1100},
        {'ph': 's', 'name': 'submit', 'cat': 'flow', 'id': 1, 'pid': pid, 'tid': 1, 'ts': 1105},
        {'ph': 'B', 'name': 'future.wait', 'pid': pid, 'tid': 1, 'ts': 1110},
        {'ph': 'E', 'pid': pid, 'tid': 1, 'ts': 1890},
        {'ph': 'E', 'pid': pid, 'tid': 1, 'ts': 1900},
        {'ph': 'B', 'name': 'encode', 'pid': pid, 'tid': 1, 'ts': 1900},
        {'ph': 'E', 'pid': pid, 'tid': 1, 'ts': 1990},
        {'ph': 'E', 'pid': pid, 'tid': 1, 'ts': 2000},
        # The worker's slice: the flow arrow ends on it (next slice after the point, no bp).
        {'ph': 'f', 'name': 'submit', 'cat': 'flow', 'id': 1, 'pid': pid, 'tid': 2, 'ts': 1120},
        {'ph': 'B', 'name': 'decode.frames', 'pid': pid, 'tid': 2, 'ts': 1120},
        {'ph': 'X', 'name': 'upsample', 'pid': pid, 'tid': 2, 'ts': 1200, 'dur': 600},
        {'ph': 'E', 'pid': pid, 'tid': 2, 'ts': 1880},
        # A second worker task with no arrow: nested by containment in the main thread's wait.
        {'ph': 'X', 'name': 'prefetch', 'pid': pid, 'tid': 3, 'ts': 1300, 'dur': 100},
        {'ph': 'C', 'name': 'gpu_mem', 'pid': pid, 'ts': 1500, 'args': {'MB': 512}},
        {'ph': 'i', 'name': 'frame_ready', 'pid': pid, 'tid': 2, 'ts': 1850, 's': 't'},
        {'ph': 'b', 'name': 'request', 'cat': 'async', 'id': 9, 'pid': pid, 'ts': 1000},
        {'ph': 'e', 'name': 'request', 'cat': 'async', 'id': 9, 'pid': pid, 'ts': 2000},
    ]
    return {'traceEvents': ev, 'displayTimeUnit': 'ns', 'metadata': {'source': 'frametail scripts/torch-traces.py'}}


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    legacy_trace(os.path.join(OUT, 'legacy-pipeline.json'))
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, 'legacy.json')
        legacy_trace(plain)
        with open(plain, 'rb') as src, gzip.GzipFile(os.path.join(OUT, 'legacy-pipeline.json.gz'), 'wb', mtime=0) as dst:
            shutil.copyfileobj(src, dst)
        clean = os.path.join(tmp, 'clean.json')
        with legacy.profile(use_kineto=False) as prof:
            with legacy.record_function('pipeline'):
                for _ in range(3):
                    X @ X
        prof.export_chrome_trace(clean)
        with open(clean) as f:
            cpu_events = json.load(f)
    scheduled_traces(os.path.join(OUT, 'schedule'))
    with open(os.path.join(OUT, 'kineto-style.json'), 'w') as f:
        json.dump(kineto_style(cpu_events), f)
    with open(os.path.join(OUT, 'perfetto-style.json'), 'w') as f:
        json.dump(perfetto_style(), f, indent=1)
    print(f'torch {torch.__version__}: wrote {sorted(os.listdir(OUT))} to {os.path.normpath(OUT)}', file=sys.stderr)


if __name__ == '__main__':
    main()
