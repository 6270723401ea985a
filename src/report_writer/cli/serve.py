"""`report-writer serve`: the local web page (library: report_writer.web).

The web stack (Starlette, uvicorn) is imported inside the command, so `report-writer --help`
and the other commands do not pay for it.
"""

from __future__ import annotations

import sys

import click

from .common import EXIT_UNREADABLE

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def register(main: click.Group) -> None:
    """Add this area's commands to the main group."""
    main.add_command(serve)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。默认只允许本机访问；给出其他地址（如 0.0.0.0）时，同一网络中的其他计算机也能打开本页面。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="端口；0 表示自动选一个空闲端口。")
def serve(host: str, port: int) -> None:
    """在本机启动网页版：审核报告稿、由数据文件起草、批量汇总。

    启动后在浏览器中打开显示的地址即可使用，按 Ctrl+C 停止。页面不联网、不加载任何外部资源；
    上传的文件只在本机处理，处理完即删除；生成的批注稿、初稿和汇总表在内存中保存 2 小时。
    一次上传的大小和文件数有上限（见 SECURITY.md，可用环境变量 REPORT_WRITER_MAX_UPLOAD_BYTES、
    REPORT_WRITER_MAX_UPLOAD_FILES 调整）。

    \b
    示例：
      report-writer serve
      report-writer serve --port 8080

    退出码：0 正常停止；2 地址或端口无法使用。
    """
    import socket

    try:
        import uvicorn

        from ..web.app import create_app
    except ModuleNotFoundError as e:
        click.echo(f"错误：网页版所需的组件 {e.name} 未安装，请重新运行 ./scripts/setup.sh", err=True)
        sys.exit(EXIT_UNREADABLE)

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        reason = "已被占用，请用 --port 换一个端口" if e.errno == 98 else f"无法使用（{e.strerror or e}）"
        click.echo(f"错误：地址 {host}:{port} {reason}", err=True)
        sys.exit(EXIT_UNREADABLE)
    sock.listen(128)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"report-writer 网页版已启动：http://{shown}:{bound}/  （按 Ctrl+C 停止）")
    if host not in LOCAL_HOSTS:
        click.echo(f"注意：监听地址为 {host}，同一网络中的其他计算机也能打开本页面并上传文件。", err=True)
    sys.stdout.flush()
    config = uvicorn.Config(create_app(), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
