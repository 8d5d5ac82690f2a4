#!/usr/bin/env python3
"""Where an analyzer's time goes, from a dotnet-trace thread-time trace exported as Speedscope JSON.

    dotnet-trace collect --profile dotnet-sampled-thread-time --format Speedscope -o t.nettrace -- \
        dotnet tests/Killswitch.Analyzers.Benchmarks/bin/Release/net10.0/Killswitch.Analyzers.Benchmarks.dll \
        profile --rsp DIR/csc.rsp --base-dir PROJECT_DIR --runs 1 --compile-runs 0
    build/perf/hotspots.py t.speedscope.json [--module Killswitch.Analyzers] [--top 25]

For every sampled interval whose stack holds a frame of the module, it charges the time to
  - each of the module's methods on the stack (inclusive time),
  - the deepest of the module's methods (its own code plus what it calls outside the module),
  - the first frame outside the module below that one (which Roslyn API or BCL call the time is spent in),
  - and the pair of the two,
and it counts apart the time the thread was blocked (waiting on a lock or another thread), since thread-time
sampling sees waiting threads too.
"""
import argparse
import json
import re
from collections import defaultdict

WAIT = re.compile(r"Monitor\.(Wait|Enter|ReliableEnter)|WaitHandle\.Wait|LowLevelLifoSemaphore|WaitNative|"
                  r"SpinThenBlockingWait|ManualResetEventSlim\.Wait|Thread\.Sleep|SpinWait\.SpinOnce|"
                  r"Task\.InternalWait|LowLevelMonitor|Interop\+Sys\.")


def short(name):
    name = re.sub(r"\(.*", "", name)
    return name.split("!", 1)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("speedscope")
    parser.add_argument("--module", default="Killswitch.Analyzers")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    data = json.load(open(args.speedscope))
    frames = [f["name"] for f in data["shared"]["frames"]]
    prefix = args.module + "!"
    mine = [name.startswith(prefix) for name in frames]
    waiting = [bool(WAIT.search(name)) for name in frames]

    inclusive = defaultdict(float)
    deepest = defaultdict(float)
    callee = defaultdict(float)
    pairs = defaultdict(float)
    total = busy = 0.0
    for profile in data["profiles"]:
        stack = []
        last = None
        for event in profile["events"]:
            at = event["at"]
            if last is not None and stack and at > last:
                duration = at - last
                own = [i for i, f in enumerate(stack) if mine[f]]
                if own:
                    total += duration
                    if not waiting[stack[-1]]:
                        busy += duration
                        for f in set(stack[i] for i in own):
                            inclusive[frames[f]] += duration
                        deep = own[-1]
                        deepest[frames[stack[deep]]] += duration
                        below = stack[deep + 1] if deep + 1 < len(stack) else None
                        callee[short(frames[below]) if below is not None else "(own code)"] += duration
                        pairs[short(frames[stack[deep]]).split(".")[-1] + " -> "
                              + (short(frames[below]) if below is not None else "(own code)")] += duration
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
            last = at

    unit = data["profiles"][0].get("unit", "milliseconds") if data["profiles"] else "milliseconds"
    print(f"{args.module}: {total:.0f} {unit} on stacks, {busy:.0f} running, {total - busy:.0f} blocked")

    def table(title, values):
        print(f"\n{title}\n| {'method':<90} | {unit[:2]:>8} | share |")
        print(f"| {'-' * 90} | {'-' * 8} | ----- |")
        for name, value in sorted(values.items(), key=lambda x: -x[1])[: args.top]:
            print(f"| {short(name)[:90]:<90} | {value:8.0f} | {100 * value / busy if busy else 0:4.0f}% |")

    table("Inclusive time of the module's methods (running only)", inclusive)
    table("Deepest module method on the stack (its code and the calls it makes outside the module)", deepest)
    table("First call outside the module (what the time is spent in)", callee)
    table("Deepest module method -> first call outside the module", pairs)


if __name__ == "__main__":
    main()
