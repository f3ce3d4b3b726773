"""The `clippings` command line.

Each subcommand is a small function; heavy imports happen inside them so that `clippings --help`
stays fast.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path


def _read_input(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    data = Path(path).read_bytes()
    return gzip.decompress(data) if path.endswith(".gz") else data


def cmd_extract(args: argparse.Namespace) -> int:
    from spiders.parsers import PageParseError, parse_article

    try:
        data = _read_input(args.path)
    except OSError as error:
        print(f"clippings extract: cannot read {args.path}: {error.strerror}", file=sys.stderr)
        return 2
    url = args.url or (Path(args.path).resolve().as_uri() if args.path != "-" else "about:blank")
    try:
        article = parse_article(data, url)
    except PageParseError as error:
        print(f"clippings extract: {args.path} is not a readable HTML page: {error}", file=sys.stderr)
        return 1
    json.dump(article.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_serve_sample(args: argparse.Namespace) -> int:
    from spiders.sample_site import build_site
    from spiders.sample_site.server import SampleSiteServer

    server = SampleSiteServer(build_site(args.articles, args.seed), args.host, args.port)
    print(server.base_url, flush=True)
    print(f"Serving {args.articles} articles (seed {args.seed}); robots.txt at "
          f"{server.base_url}/robots.txt. Press Ctrl+C to stop.", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    import urllib.request

    from spiders.parsers import parse_article
    from spiders.sample_site import build_site
    from spiders.sample_site.server import SampleSiteServer

    site = build_site(args.articles)
    server = SampleSiteServer(site)
    server.start_in_thread()
    url = server.base_url + site.articles[0].path
    print(f"sample site: {server.base_url} ({args.articles} articles)")
    with urllib.request.urlopen(url, timeout=30) as response:
        article = parse_article(response.read(), url, response.headers.get("Content-Type"))
    server.shutdown()
    print(f"title:     {article.title}\npublished: {article.published}\n"
          f"sections:  {[s.heading for s in article.sections]}\n"
          f"related:   {len(article.related)} items\nwords:     {article.word_count}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clippings", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="parse one saved page and print it as JSON")
    extract.add_argument("path", help="an HTML file (.gz is decompressed) or - for standard input")
    extract.add_argument("--url", help="the page's URL, for resolving links (default: the file's URI)")
    extract.set_defaults(func=cmd_extract)

    demo = commands.add_parser("demo", help="serve the sample site and extract its seed article")
    demo.add_argument("--articles", type=int, default=300)
    demo.set_defaults(func=cmd_demo)

    serve = commands.add_parser("serve-sample", help="serve the bundled sample publisher site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    serve.add_argument("--articles", type=int, default=300)
    serve.add_argument("--seed", type=int, default=7)
    serve.set_defaults(func=cmd_serve_sample)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
