"""The `clippings` command line.

Each subcommand is a small function; heavy imports happen inside them so that `clippings --help`
stays fast.
"""
from __future__ import annotations

import argparse
import logging
import json
import os
import sys
from pathlib import Path
from typing import Any

from flows.paths import DEFAULT_DB, DEMO_DB
from spiders.params import CrawlParams


def _read_input(path: str, max_bytes: int) -> bytes:
    """The page's bytes, read and inflated with a bound (a gzip bomb is refused, not inflated)."""
    from spiders.inflate import GZIP_MAGIC, gunzip_bounded, read_bounded

    if path == "-":
        data = read_bounded(sys.stdin.buffer, max_bytes, "standard input")
    else:
        with open(path, "rb") as handle:
            data = read_bounded(handle, max_bytes, path)
    return gunzip_bounded(data, max_bytes, path) if data[:2] == GZIP_MAGIC else data


def cmd_extract(args: argparse.Namespace) -> int:
    from spiders.inflate import MAX_PAGE_BYTES, BadCompression, TooLarge
    from spiders.parsers import PageParseError, parse_article
    from spiders.sniff import not_a_page

    try:
        data = _read_input(args.path, args.max_bytes or MAX_PAGE_BYTES)
    except OSError as error:
        print(f"clippings extract: cannot read {args.path}: {error.strerror}", file=sys.stderr)
        return 2
    except (TooLarge, BadCompression) as error:
        print(f"clippings extract: {error}; refused (raise the limit with --max-bytes)", file=sys.stderr)
        return 1
    if sniffed := not_a_page(data):
        print(f"clippings extract: {args.path} is not a page: {sniffed}", file=sys.stderr)
        return 1
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
    from spiders.sample_site.revisions import Changes, revise
    from spiders.sample_site.server import SampleSiteServer

    site, _ = revise(build_site(args.articles, args.seed), args.revision,
                     Changes(args.edit, args.add, args.remove))
    server = SampleSiteServer(site, args.host, args.port, args.latency)
    print(server.base_url, flush=True)
    print(f"Serving {args.articles} articles (seed {args.seed}, revision {args.revision}); robots.txt at "
          f"{server.base_url}/robots.txt. Press Ctrl+C to stop.", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from flows.demo import run_demo

    return run_demo(Path(args.db), args.articles, args.seed, args.port, args.recrawl)


class UsageError(ValueError):
    """A bad argument: one line on stderr, exit status 2."""


def _crawl_arguments(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """(crawl id, arguments) of a new crawl, or of the crawl `--resume` continues."""
    from flows.crawl_state import save_arguments, unfinished_crawl
    from flows.paths import archive_dir_for
    from spiders.lock import check_free
    from spiders.params import new_crawl_id
    from spiders.scope import CrawlScope

    archive = archive_dir_for(args.db, args.archive_dir)
    arguments = {"urls": args.urls, "depth": args.depth, "max_pages": args.max_pages,
                 "domains": args.domains, "settings": _pairs(args.set, "--set"),
                 "workers": 1 if args.workers is None else args.workers}
    if args.resume:
        crawl_id, saved = unfinished_crawl(archive, None if args.resume is True else args.resume)
        if saved is None and not args.urls:
            raise UsageError(f"crawl {crawl_id} was not started by clippings crawl; give its URLs again")
        arguments = saved if saved and not args.urls else arguments
        # A crawl of N workers resumes as N workers (its staging is in worker parts), unless
        # --workers says otherwise; arguments saved before workers were recorded mean one.
        arguments["workers"] = arguments.get("workers", 1) if args.workers is None else args.workers
    elif not args.urls:
        raise UsageError("give at least one URL to crawl, or --resume to continue a killed crawl")
    else:
        crawl_id = new_crawl_id()
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers {args.workers}: give 1 or more crawler processes")
    try:
        CrawlScope.from_urls(arguments["urls"], tuple(arguments["domains"]))
    except ValueError as error:
        raise UsageError(f"{error}; give http(s) URLs such as https://example.com/") from None
    check_free(archive, crawl_id)  # a busy archive is said before Prefect starts
    save_arguments(archive, crawl_id, arguments)
    return crawl_id, arguments


def cmd_crawl(args: argparse.Namespace) -> int:
    from flows.crawl_flow import crawl_site
    from flows.demo import print_summary
    from spiders.lifeline import start_reaper

    crawl_id, arguments = _crawl_arguments(args)
    _one_line_logs(args)
    start_reaper()  # if this process is killed, its children (crawler, Prefect server) go too
    summary = crawl_site(arguments["urls"], args.db, arguments["depth"], arguments["max_pages"],
                         args.archive_dir, crawl_id=crawl_id, lock_wait_seconds=args.wait,
                         extra_domains=arguments["domains"], settings=arguments["settings"],
                         workers=arguments["workers"], redis_url=args.redis)
    print(f"crawl {summary['crawl_id']}: {summary['pages_fetched']} pages fetched, "
          f"{summary['articles']} articles, {summary['rejects']} rejects, peak memory "
          f"{summary['peak_memory_bytes'] / 2**20:.0f} MiB; staged in {summary['staging_path']}")
    print_summary(Path(args.db), None)
    return 0


def cmd_sites(args: argparse.Namespace) -> int:
    from flows.output import print_rows
    from flows.sites import SitesFileError, load_sites

    try:
        sites = load_sites(args.sites)
    except SitesFileError as error:
        print(error, file=sys.stderr)
        return 2
    if args.action == "check":
        print(f"{args.sites}: {len(sites.sites)} sites, all valid")
        return 0
    columns = ["name", "start_urls", "depth", "max_pages", "concurrency", "delay", "full", "poll",
               "workers", "profile"]
    rows = [(s.name, " ".join(s.start_urls), s.depth, s.max_pages, s.politeness.concurrency,
             s.politeness.delay, s.schedule.full, s.schedule.poll, s.workers, s.profile)
            for s in sites.sites]
    print_rows(columns, rows, args.format)
    return 0


def cmd_reparse(args: argparse.Namespace) -> int:
    from flows.crawl_flow import reparse_archive

    _one_line_logs(args)
    summary = reparse_archive(args.db, args.crawl, args.archive_dir, args.wait)
    print(f"re-extracted {summary['pages_reparsed']} archived pages of {summary['reparse_of']} with "
          f"parser {summary['parser_version']}: {summary['articles']} articles, {summary['rejects']} rejects")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from flows.tasks import graph_task
    from spiders.layout import SUMMARY_FILE, ArchiveLayout
    from warehouse.load import finished_stagings, load_path

    root = ArchiveLayout.beside(args.db, args.archive_dir).staging_root
    folders = [root / f if not Path(f).is_dir() and (root / f).is_dir() else Path(f) for f in args.staging] \
        or finished_stagings(root)
    unfinished = [f for f in folders if not (f / SUMMARY_FILE).is_file()]
    if unfinished:
        raise UsageError(f"{unfinished[0]} is not a finished crawl's staging folder; a killed crawl "
                         "continues with clippings crawl --resume")
    if not folders:
        print(f"clippings load: no finished staging folder under {root}", file=sys.stderr)
        return 2
    for folder in folders:
        result = load_path(Path(args.db), folder, args.wait)
        print(f"{folder}: {'loaded' if result.loaded else 'already loaded, skipped'} ({result.crawl_id})")
    run = graph_task.fn(args.db, result.crawl_id, args.wait)
    print(f"link graph: {run.nodes} articles, {run.edges} edges, {run.communities} communities")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from flows.snapshot_flow import export_archive
    from warehouse.snapshot import SnapshotError

    _one_line_logs(args)
    try:
        result = export_archive(args.db, args.out, args.as_of, args.site, args.format, args.archive_dir,
                                args.wait)
    except SnapshotError as error:
        print(f"clippings export: {error}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{n} {t}" for t, n in result["counts"].items())
    print(f"snapshot of {args.db} as of {result['as_of']} in {args.out}: {counts}\n"
          f"check it any time with: clippings verify {args.out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from flows.progress import progress
    from warehouse.report import ReportError, write_report

    try:
        with progress(f"report {Path(args.out).name}", unit="figures") as shown:
            data = write_report(Path(args.db), Path(args.out), args.crawl, args.site,
                                lambda done, total: shown.update(done, total=total), args.wait)
    except ReportError as error:
        print(f"clippings report: {error}", file=sys.stderr)
        return 2
    totals = data.totals
    print(f"report of {data.scope} in {args.out}: {totals['articles']} articles ({totals['new_articles']} new, "
          f"{totals['changed_articles']} changed, {totals['gone']} gone), {totals['pages_fetched']} pages fetched, "
          f"{totals['rejects']} rejects; open it in any browser (it needs no network)")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    import logging

    from warehouse.snapshot.verify import verify

    logging.getLogger("bagit").setLevel(logging.CRITICAL)  # its findings come back as problems
    problems = verify(Path(args.path))
    if problems:
        print(f"{args.path} is NOT valid: {len(problems)} problem(s)", file=sys.stderr)
        for problem in problems[: args.max_problems]:
            print(f"  {problem}", file=sys.stderr)
        if len(problems) > args.max_problems:
            print(f"  ... and {len(problems) - args.max_problems} more", file=sys.stderr)
        return 1
    print(f"{args.path} is valid: checksums, completeness, WARC records and their index all check out")
    return 0


def _pairs(pairs: list[str], option: str) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"clippings: {option} takes NAME=VALUE, got {pair!r}")
        params[name] = value
    return params


def _sql_refusal(text: str) -> str:
    """One line saying why the locked-down analyst session refused a statement."""
    first = text.splitlines()[0] if text else "refused"
    if "read-only" in text or "read only" in text:
        return (f"the archive is opened read-only, so this statement was refused ({first}). "
                "Change the archive with clippings crawl/reparse/load.")
    if "disabled by configuration" in text or "disabled through configuration" in text \
            or "configuration has been locked" in text:
        return (f"refused: analyst SQL reads the archive's own tables only: no files, no COPY/EXPORT, "
                f"no ATTACH, no extensions, no settings ({first}). See README, \"Analyst SQL\".")
    return first


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from flows.output import print_rows
    from warehouse.connect import DatabaseLocked, connect_read_only
    from warehouse.queries import named_queries, named_query

    if not (args.query_text or args.file or args.query):
        print("Named queries (run one with --query NAME [--param name=value]):")
        for query in named_queries().values():
            listed = f"  [params: {', '.join(query.params)}]" if query.params else ""
            print(f"  {query.name:<30} {query.question}{listed}")
        return 0
    params: dict[str, str | None] = dict(_pairs(args.param, "--param"))
    if args.query:
        try:
            query = named_query(args.query)
        except KeyError as error:
            print(f"clippings sql: {error.args[0]}", file=sys.stderr)
            return 2
        unknown = sorted(set(params) - set(query.params))
        if unknown:
            print(f"clippings sql: {query.name} has no parameter {', '.join(unknown)}; its parameters: "
                  f"{', '.join(query.params) or 'none'}", file=sys.stderr)
            return 2
        sql, params = query.sql, {**dict.fromkeys(query.params), **params}  # unset: NULL
    else:
        try:
            sql = Path(args.file).read_text("utf-8") if args.file else args.query_text
        except OSError as error:
            print(f"clippings sql: cannot read {args.file}: {error.strerror}", file=sys.stderr)
            return 2
    try:
        with connect_read_only(args.db, wait_seconds=args.wait) as con:
            statements = con.extract_statements(sql)
            if len(statements) > 1 and not args.file:
                print(f"clippings sql: {len(statements)} statements given; run one per call, or put "
                      "several in a file and pass --file", file=sys.stderr)
                return 2
            for statement in statements:
                used = {k: v for k, v in params.items() if k in statement.named_parameters}
                cursor = con.execute(statement, used or None)
                columns = [d[0] for d in cursor.description] if cursor.description else []
                if columns:
                    print_rows(columns, cursor.fetchall(), args.format)
    except (FileNotFoundError, DatabaseLocked) as error:
        print(f"clippings sql: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        print(f"clippings sql: {_sql_refusal(str(error))}", file=sys.stderr)
        return 1
    return 0


def _how_to_move(db: Path) -> str:
    from flows.paths import archive_dir_for

    aside = db.with_name(f"{db.stem}.duckdb2{db.suffix}")
    return (f"To move it to this format: `mv {db} {aside}`, then `clippings load --db {db}` re-loads "
            f"every crawl from {archive_dir_for(db)}/staging/ (or `clippings reparse --db {db} "
            f"--crawl ID` re-extracts a crawl from its WARC files).")


def cmd_search(args: argparse.Namespace) -> int:
    import duckdb

    from flows.output import print_rows
    from warehouse.connect import connect_read_only
    from warehouse.search import NoSearchIndex, search

    try:
        with connect_read_only(args.db, wait_seconds=args.wait) as con:
            columns, rows = search(con, args.q, site=args.site, category=args.category,
                                   since=args.since, until=args.until, limit=args.limit)
    except (FileNotFoundError, NoSearchIndex) as error:
        print(f"clippings search: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:  # e.g. --since not a date
        print(f"clippings search: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
    print_rows(columns, rows, args.format, max_width=60)
    return 0


def cmd_graph_export(args: argparse.Namespace) -> int:
    import datetime as dt

    from flows.progress import progress
    from warehouse.connect import connect_read_only
    from warehouse.graph_export import ExportFilter, export_graph

    try:
        since, until = (dt.date.fromisoformat(d) if d else None for d in (args.since, args.until))
    except ValueError as error:
        print(f"clippings graph export: --since/--until take YYYY-MM-DD ({error})", file=sys.stderr)
        return 2
    kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    try:
        with connect_read_only(args.db, wait_seconds=args.wait, extensions=()) as con, \
                progress(f"graph export {Path(args.out).name}", unit="nodes and edges") as shown:
            result = export_graph(con, Path(args.out), ExportFilter(kinds, args.site, since, until),
                                  args.dynamic)
            shown.update(result.nodes + result.edges)
    except FileNotFoundError as error:
        print(f"clippings graph export: {error}", file=sys.stderr)
        return 2
    print(f"{result.path}: {result.nodes} nodes, {result.edges} edges ({', '.join(kinds)} links)"
          + ("; dynamic: nodes and edges start on their publication day" if args.dynamic else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clippings", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="parse one saved page and print it as JSON")
    extract.add_argument("path", help="an HTML file (.gz is decompressed) or - for standard input")
    extract.add_argument("--url", help="the page's URL, for resolving links (default: the file's URI)")
    extract.add_argument("--max-bytes", type=int, help="largest page accepted, inflated (default 20 MiB)")
    extract.set_defaults(func=cmd_extract)

    demo = commands.add_parser("demo", help="serve the sample site, crawl it into DuckDB, query it")
    demo.add_argument("--db", default=str(DEMO_DB), help=f"default: {DEMO_DB}")
    demo.add_argument("--articles", type=int, default=300)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--port", type=int, default=8765, help="port of the sample site (default 8765)")
    demo.add_argument("--recrawl", action="store_true", help="crawl again even if already archived")
    demo.set_defaults(func=cmd_demo)

    crawl = commands.add_parser("crawl", help="crawl sites into an archive and load it")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="site roots, pages, sitemaps or feeds")
    crawl.add_argument("--resume", nargs="?", const=True, metavar="CRAWL_ID",
                       help="continue a killed crawl (default: the newest unfinished one) with its own arguments")
    crawl.add_argument("--db", default=str(DEFAULT_DB), help=f"default: {DEFAULT_DB}")
    crawl.add_argument("--depth", type=int, help=f"link hops to follow (default {CrawlParams.default('depth')})")
    crawl.add_argument("--max-pages", type=int, help="most HTML pages to fetch (default: no limit)")
    crawl.add_argument("--archive-dir", help="default: <db name>-archive/ beside the database")
    crawl.add_argument("--wait", type=float, default=60, help="seconds to wait for a locked database")
    crawl.add_argument("--domains", action="append", default=[], metavar="DOMAIN",
                       help="widen scope: a registrable domain (example.org) or host:port; repeatable")
    crawl.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="a Scrapy setting for this crawl, e.g. CLIPPINGS_TRAP_MAX_PATH_DEPTH=20")
    crawl.add_argument("--workers", type=int, default=None,
                       help="crawler processes sharing one Redis frontier (default 1; "
                            "--resume: as many as the killed crawl had)")
    crawl.add_argument("--redis", default=os.environ.get("CLIPPINGS_REDIS_URL"),
                       help="a shared Redis (redis://HOST:PORT/DB) for workers on several machines; "
                            "default $CLIPPINGS_REDIS_URL, else a redis-server started for the crawl")
    crawl.set_defaults(func=cmd_crawl)

    sites = commands.add_parser("sites", help="list or check the sites file (docs/sites.md)")
    sites.add_argument("action", choices=("list", "check"))
    sites.add_argument("--sites", default="sites.yaml", help="the sites file (default sites.yaml)")
    sites.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sites.set_defaults(func=cmd_sites)

    reparse = commands.add_parser("reparse", help="re-extract an archived crawl with this parser")
    reparse.add_argument("--db", default=str(DEFAULT_DB))
    reparse.add_argument("--crawl", help="crawl id (default: the newest crawl)")
    reparse.add_argument("--archive-dir", help="default: <db name>-archive/ beside the database")
    reparse.add_argument("--wait", type=float, default=60, help="seconds to wait for a locked database")
    reparse.set_defaults(func=cmd_reparse)

    load = commands.add_parser("load", help="load staged crawls into the database (default: all, in order)")
    load.add_argument("staging", nargs="*", metavar="CRAWL_ID|STAGING",
                      help="crawl ids or staging folders (default: every finished one of the archive)")
    load.add_argument("--db", default=str(DEFAULT_DB))
    load.add_argument("--archive-dir", help="default: <db name>-archive/ beside the database")
    load.add_argument("--wait", type=float, default=60, help="seconds to wait for a locked database")
    load.set_defaults(func=cmd_load)

    export = commands.add_parser("export", help="write a dated, verifiable snapshot (BagIt and/or WACZ)")
    export.add_argument("--db", default=str(DEFAULT_DB))
    export.add_argument("--out", required=True, help="a new folder for the snapshot")
    export.add_argument("--as-of", help="ISO timestamp (default: when the newest crawl finished)")
    export.add_argument("--site", help="only this registrable domain, e.g. example.com")
    export.add_argument("--format", choices=("bagit", "wacz", "both"), default="both",
                        help="both (default): a bag whose payload also holds snapshot.wacz")
    export.add_argument("--archive-dir", help="default: <db name>-archive/ beside the database")
    export.add_argument("--wait", type=float, default=60, help="seconds to wait for a locked database")
    export.set_defaults(func=cmd_export)

    report = commands.add_parser("report", help="one self-contained HTML page of what a crawl, site or archive holds")
    report.add_argument("--db", default=str(DEFAULT_DB))
    scope = report.add_mutually_exclusive_group()
    scope.add_argument("--crawl", help="only this crawl id")
    scope.add_argument("--site", help="only this site (registrable domain), e.g. example.com")
    report.add_argument("--out", default="report.html", help="the HTML file to write (default report.html)")
    report.add_argument("--wait", type=float, default=60, help="seconds to wait for a locked database")
    report.set_defaults(func=cmd_report)

    check = commands.add_parser("verify", help="validate a snapshot bag or .wacz; non-zero exit with problems")
    check.add_argument("path")
    check.add_argument("--max-problems", type=int, default=50)
    check.set_defaults(func=cmd_verify)

    sql = commands.add_parser("sql", help="query the archive read-only; no query lists named ones")
    sql.add_argument("query_text", nargs="?", metavar="QUERY")
    sql.add_argument("--file", help="a .sql file to run (may hold several statements)")
    sql.add_argument("--query", help="a named query from warehouse/queries/")
    sql.add_argument("--param", action="append", default=[], help="NAME=VALUE for $NAME in a query")
    sql.add_argument("--db", default=str(DEFAULT_DB))
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("--wait", type=float, default=10, help="seconds to wait for a locked database")
    sql.set_defaults(func=cmd_sql)

    find = commands.add_parser("search", help="full-text search (BM25) over the current articles")
    find.add_argument("q", metavar="QUERY", help="words to find, e.g. \"production soundtracks\"")
    find.add_argument("--db", default=str(DEFAULT_DB))
    find.add_argument("--site", help="only this registrable domain")
    find.add_argument("--category", help="only this category, as in articles.category")
    find.add_argument("--since", help="published on or after this day (YYYY-MM-DD)")
    find.add_argument("--until", help="published on or before this day (YYYY-MM-DD)")
    find.add_argument("--limit", type=int, default=20, help="most hits to show (default 20)")
    find.add_argument("--format", choices=("table", "csv", "json"), default="table")
    find.add_argument("--wait", type=float, default=10, help="seconds to wait for a locked database")
    find.set_defaults(func=cmd_search)

    graph = commands.add_parser("graph", help="the link graph for other tools (Gephi)")
    graph_commands = graph.add_subparsers(dest="graph_command", required=True)
    gexf = graph_commands.add_parser("export", help="write the link graph as GEXF 1.3 (or GraphML)")
    gexf.add_argument("--db", default=str(DEFAULT_DB))
    gexf.add_argument("--out", required=True, help="FILE.gexf, or FILE.graphml for GraphML")
    gexf.add_argument("--kind", default="related,body", help="link kinds, comma-separated (default related,body)")
    gexf.add_argument("--site", help="only links from this registrable domain's articles")
    gexf.add_argument("--since", help="only links from articles published on or after this day (YYYY-MM-DD)")
    gexf.add_argument("--until", help="only links from articles published on or before this day")
    gexf.add_argument("--dynamic", action="store_true", help="GEXF with node/edge start = publication day")
    gexf.add_argument("--wait", type=float, default=10, help="seconds to wait for a locked database")
    gexf.set_defaults(func=cmd_graph_export)

    serve = commands.add_parser("serve-sample", help="serve the bundled sample publisher site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    serve.add_argument("--articles", type=int, default=300)
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--revision", type=int, default=0,
                       help="rounds of changes applied to the site (each: --edit, --add, --remove)")
    serve.add_argument("--edit", type=int, default=10, help="articles edited per revision (default 10)")
    serve.add_argument("--add", type=int, default=5, help="articles added per revision (default 5)")
    serve.add_argument("--remove", type=int, default=3, help="articles taken down per revision (default 3)")
    serve.add_argument("--latency", type=float, default=0.0,
                       help="seconds added to every answer, as a distant publisher's (default 0)")
    serve.set_defaults(func=cmd_serve_sample)
    return parser


FLOW_COMMANDS = ("demo", "crawl", "reparse", "export")


def use_own_prefect(args: argparse.Namespace) -> None:
    """Flows run by the CLI keep Prefect's records beside the archive, never in ~/.prefect.

    The demo always does (its runs are not an operator's). Other commands do when no server is
    configured (PREFECT_API_URL unset), and say so: Prefect then starts a temporary local server.
    """
    if args.command not in FLOW_COMMANDS or (args.command in ("reparse", "export") and not Path(args.db).exists()):
        return  # (a missing archive is reported by the command itself; no folder is made for it)
    from spiders.layout import ArchiveLayout
    home = ArchiveLayout.beside(args.db, getattr(args, "archive_dir", None)).prefect_home()
    if args.command == "demo":
        os.environ.pop("PREFECT_API_URL", None)
        os.environ["PREFECT_HOME"] = str(home)
    elif not os.environ.get("PREFECT_API_URL"):
        os.environ.setdefault("PREFECT_HOME", str(home))
    else:
        return
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)  # Prefect does not create it
    # Prefect gives its temporary server 20 s to start; a fresh PREFECT_HOME (migrations) on a busy
    # machine took longer, and the command then failed before doing anything.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if args.command != "demo":
        print(f"clippings {args.command}: PREFECT_API_URL is not set, so this run uses a temporary local "
              f"Prefect server, its records kept in {os.environ['PREFECT_HOME']}; to see it in your Prefect "
              "UI, export PREFECT_API_URL=http://127.0.0.1:4200/api first", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    # This machine may have no route to the internet: Prefect's telemetry would only log errors.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = build_parser().parse_args(argv)
    use_own_prefect(args)
    from warehouse.connect import ArchiveFormatTooNew

    try:
        return int(args.func(args))
    except UsageError as error:
        print(f"clippings {args.command}: {error}", file=sys.stderr)
        return 2
    except ArchiveFormatTooNew as error:
        print(f"clippings {args.command}: {error}\n{_how_to_move(Path(getattr(args, 'db', DEFAULT_DB)))}",
              file=sys.stderr)
        return 2
    except BrokenPipeError:  # `clippings sql ... | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(f"clippings {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # every other error: one line naming it and the next step
        if args.debug:
            raise
        print(f"clippings {args.command}: {error_line(error)}", file=sys.stderr)
        return 1


def error_line(error: BaseException) -> str:
    """An error as one line: our own errors already name the next step; others get one."""
    from flows.crawl_state import NothingToResume
    from spiders.lock import ArchiveBusy
    from warehouse.connect import DatabaseLocked

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, (DatabaseLocked, ArchiveBusy, NothingToResume)):
        return text
    if type(error).__name__ == "CrawlFailed":
        return f"{text} (a killed crawl continues with clippings crawl --resume)"
    return f"{type(error).__name__}: {text} (run again with --debug for the traceback)"


class _OneLine(logging.Filter):
    """Log records keep their first line and lose their traceback (shown only under --debug)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info or record.exc_text:
            record.exc_info, record.exc_text = None, None
            record.msg, record.args = str(record.getMessage()).splitlines()[0], None
        return True


def _one_line_logs(args: argparse.Namespace) -> None:
    """Unless --debug: Prefect's handlers (configured when prefect is imported) print no tracebacks."""
    if args.debug:
        return
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict)
                                      if n.startswith("prefect"))]
    for handler in {h for logger in loggers for h in logger.handlers}:
        handler.addFilter(_OneLine())


if __name__ == "__main__":
    sys.exit(main())
