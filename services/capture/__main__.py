"""python -m services.capture --show ID --source {wxlivespy,oba,danmaku,douyinlive,jsonl} [options]

One long-running process per show: connects to (or receives from) a capture tool on this computer,
stores what the live room says, and writes a heartbeat the console shows. Exit status: 0 after a
clean stop, 1 when some deliveries were malformed (counted and skipped), 2 when the show, the
database or the listen address cannot be used.
"""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading

from services import config, store
from services.capture import sources
from services.capture.adapters import ADAPTERS, SOURCES
from services.capture.runner import Runner
from services.errors import DomainError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m services.capture", description="直播间采集：评论、观看人数、点赞自动进中控台。")
    p.add_argument("--show", type=int, required=True, help="场次编号")
    p.add_argument("--source", required=True, choices=SOURCES, help="采集工具")
    p.add_argument("--url", help="WebSocket 地址（oba / danmaku / douyinlive；默认各工具的默认地址）")
    p.add_argument("--room", default="", help="douyinLive 的直播间标识（默认地址里的 {room}）")
    p.add_argument("--listen", default=sources.DEFAULT_LISTEN, help="wxlivespy 接收地址 HOST:PORT（默认 127.0.0.1:8090）")
    p.add_argument("--token", default=None, help="口令（默认取环境变量 CAPTURE_TOKEN）")
    p.add_argument("--platform", default=None, help="平台标识，覆盖工具给出的（如 oba 接快手时填 kuaishou）")
    p.add_argument("--database-url", default=None, help="数据库地址（默认 DATABASE_URL）")
    return p


def make_source(args: argparse.Namespace, out, token: str) -> sources.Source:
    if args.source == "wxlivespy":
        return sources.HttpSource(out, args.listen, token)
    if args.source == "jsonl":
        return sources.StdinSource(out)
    url = args.url or sources.DEFAULT_URLS[args.source].replace("{room}", args.room or "room")
    return sources.WebSocketSource(out, url, token)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config.load_secrets()
    token = args.token if args.token is not None else config.get("CAPTURE_TOKEN")
    try:
        engine = store.connect(args.database_url)
        runner = Runner(engine, args.show, args.source, ADAPTERS[args.source], platform=args.platform,
                        viewer_every_s=config.get_float("CAPTURE_VIEWER_EVERY_S"))
        runner.begin()
        source = make_source(args, runner.queue, token)
    except DomainError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"无法监听 {args.listen}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - database unreachable or misconfigured
        print(f"数据库无法使用：{type(exc).__name__}: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    where = source.address if isinstance(source, sources.HttpSource) else getattr(source, "url", "标准输入")
    print(f"直播采集已启动：场次 {args.show}，来源 {args.source}（{where}），进程 {os.getpid()}。", flush=True)
    source.start()
    try:
        runner.run(stop)
    finally:
        source.stop()
        runner.finish()
    c = runner.counts
    print(f"直播采集已停止：收到 {c.received} 条，新存 {c.stored} 条，重复 {c.duplicates} 条，"
          f"格式错误 {c.malformed} 条，未知类型 {c.unknown} 条，丢失 {c.lost} 条。", flush=True)
    return 1 if c.malformed else 0


if __name__ == "__main__":
    sys.exit(main())
