"""Scrapy settings for Clippings: polite by default, every response archived.

Real sites get robots.txt, AutoThrottle and per-domain limits. The demo and the tests crawl the
local sample site with `spiders.run.LOCAL_SITE_SETTINGS` (no delays), passed as `-s` settings.
"""
BOT_NAME = "clippings"
SPIDER_MODULES = ["spiders.article_spider"]
NEWSPIDER_MODULE = "spiders"

# Who to contact about this crawler: set it to your own page (`-s CLIPPINGS_CONTACT_URL=...`);
# the spider builds its User-Agent from it.
CLIPPINGS_CONTACT_URL = "https://github.com/clippings-archive/clippings"
USER_AGENT = f"Clippings/0.1 (+{CLIPPINGS_CONTACT_URL}; archival crawler)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10

# Every status reaches the spider, which records 4xx/5xx as rejects instead of dropping them.
HTTPERROR_ALLOW_ALL = True
# The archive middleware sits next to the downloader (above 900) so it sees raw responses,
# redirects included, before RedirectMiddleware (600) and HttpCompression (590) act on them.
# The scope guard comes first (40: before robots.txt at 100), so an off-scope request (a
# redirect hop to another host included) is refused before its host's robots.txt is asked for.
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {"spiders.guard.ScopeMiddleware": 40,
                                                 "spiders.middlewares.ArchiveMiddleware": 950}
# The address guard: DNS answers that are loopback, private, link-local... are refused
# unless they are a start URL's own address (spiders/guard.py).
TWISTED_DNS_RESOLVER = "spiders.guard.GuardedResolver"
# Peak memory is recorded in the crawl summary; past this the crawl stops cleanly.
MEMUSAGE_ENABLED = True
MEMUSAGE_LIMIT_MB = 2048
SPIDER_MIDDLEWARES = {"spiders.middlewares.RejectOnSpiderError": 50}
# Workers sharing a Redis frontier (spiders.shared; each is inert in a single-worker crawl):
# robots.txt fetched once for all, a site's slots held in Redis right next to the downloader,
# and leases acknowledged after every other middleware has seen a callback's output.
DOWNLOADER_MIDDLEWARES.update({"scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
                               "spiders.shared.SharedRobotsTxtMiddleware": 100,
                               "spiders.shared.SiteSlotMiddleware": 990})
SPIDER_MIDDLEWARES.update({"spiders.shared.AcknowledgeMiddleware": 10})
# Scrapy starts CONCURRENT_ITEMS asyncio tasks per callback output; our items are cheap
# synchronous writes, and the default of 100 cost a third of the crawl's CPU (profiled).
CONCURRENT_ITEMS = 4
ITEM_PIPELINES = {"spiders.pipelines.StagingPipeline": 300}

# Clippings de-duplicates on canonical URLs itself; Scrapy's fingerprint filter stays on too.
DUPEFILTER_DEBUG = False
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 10.0
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control (for its MCP server) runs an HTTP endpoint that executes Python
# sent to it, and writes its port and token under ~/.local/state/scrapy/job_files (left behind
# by a killed crawl). An archival crawler needs neither; the archive is the only place written.
REMOTE_CONTROL_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# Clippings' own settings.
CLIPPINGS_WARC_MAX_BYTES = 1024 ** 3
CLIPPINGS_PARSE_WORKERS = 1
# Safety limits (README "Crawling real sites safely"): inflated sitemap size, the address
# guard's deliberate exceptions (CIDRs), and the trap limits of spiders/traps.py.
CLIPPINGS_MAX_SITEMAP_BYTES = 50 * 1024 * 1024
CLIPPINGS_ALLOW_ADDRESSES = ""
CLIPPINGS_TRAP_MAX_URL_LENGTH = 2048
CLIPPINGS_TRAP_MAX_PATH_DEPTH = 16
CLIPPINGS_TRAP_MAX_SEGMENT_REPEATS = 3
CLIPPINGS_TRAP_MAX_QUERY_VARIANTS = 50
CLIPPINGS_TRAP_MAX_CALENDAR_PAGES = 36
CLIPPINGS_TRAP_MAX_PAGES_PER_HOST = 100_000
