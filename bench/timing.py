"""Time (and optionally profile) the bench's pages in one process, through Django's test
client with the page cache off: the Python side of an uncached request, without the server.

    python bench/timing.py                   # ms per request of each page
    python bench/timing.py --profile signatories   # cProfile of the pages whose name contains it
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declaration_site.settings")

import django

django.setup()

import probe
from django.conf import settings
from django.test import Client


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="")
    parser.add_argument("--requests", type=int, default=10, help="requests a batch")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    for name, url in probe.choose_pages():
        if args.profile and args.profile not in name:
            continue
        for _ in range(3):
            client.get(url, secure=True, HTTP_HOST="127.0.0.1")
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        # The quickest of several batches: the machine's other work only ever adds time.
        wall, cpu = [], []
        for _ in range(args.batches):
            started, cpu_started = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                response = client.get(url, secure=True, HTTP_HOST="127.0.0.1")
            wall.append((time.perf_counter() - started) / args.requests * 1000)
            cpu.append((time.process_time() - cpu_started) / args.requests * 1000)
        if profiler:
            profiler.disable()
        print(
            f"{name:<22} {url[:44]:<44} {min(wall):7.1f} ms {min(cpu):7.1f} ms CPU"
            f"  {response.status_code}",
            flush=True,
        )
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
