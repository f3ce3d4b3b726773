"""The frontier scheduler: request serialisation (the same fields as Scrapy's own to_dict) and what a
lease reserves."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
import scrapy
from scrapy.settings import Settings
from scrapy.utils.request import request_from_dict

from spiders.scheduler import FrontierScheduler


class Pages(scrapy.Spider):
    name = "pages"

    def parse_html(self, response: scrapy.http.Response) -> None: ...

    def on_error(self, failure: object) -> None: ...


def scheduler_for(spider: scrapy.Spider) -> FrontierScheduler:
    scheduler = FrontierScheduler(SimpleNamespace(settings=Settings({"CONCURRENT_REQUESTS": 16})))  # type: ignore[arg-type]
    scheduler.spider = spider
    return scheduler


def test_requests_serialise_as_scrapy_does_without_listing_the_spiders_methods() -> None:
    spider = Pages()
    scheduler = scheduler_for(spider)
    request = scrapy.Request("http://site/a", callback=spider.parse_html, errback=spider.on_error,
                             meta={"hops": 2, "claim": ("http://site/a", "7")}, priority=-2,
                             dont_filter=True, headers={"Referer": "http://site/"})
    fields = scheduler._fields(request)
    assert fields == request.to_dict(spider=spider)
    assert (fields["callback"], fields["errback"]) == ("parse_html", "on_error")
    back = request_from_dict(fields, spider=spider)
    assert (back.url, back.callback, back.priority, back.meta["hops"]) == ("http://site/a", spider.parse_html, -2, 2)
    plain = scrapy.Request("http://site/robots.txt")
    assert scheduler._fields(plain) == plain.to_dict(spider=spider)
    form = scrapy.FormRequest("http://site/search", callback=spider.parse_html, formdata={"q": "x"})
    assert scheduler._fields(form)["_class"] == "scrapy.http.request.form.FormRequest"  # Scrapy's way


def test_a_callback_that_is_not_a_spider_method_is_refused_as_scrapy_refuses_it() -> None:
    scheduler = scheduler_for(Pages())
    with pytest.raises(ValueError, match="is not an instance method"):
        scheduler._fields(scrapy.Request("http://site/", callback=lambda response: None))


def test_only_a_page_fetched_from_its_own_url_reserves_what_it_would_stage() -> None:
    def request(**meta: object) -> scrapy.Request:
        return scrapy.Request("http://site.test/a?x=1", meta=meta)

    assert FrontierScheduler._stages(request(kind="page", key="http://site.test/a")) == "http://site.test/a"
    assert FrontierScheduler._stages(request(kind="page", key="http://site.test/old",
                                             redirect_urls=["http://site.test/old"])) == ""
    assert FrontierScheduler._stages(request(kind="sitemap")) == ""
    assert FrontierScheduler._stages(request(kind="page")) == ""  # no key: nothing to reserve
