"""The page as `python app.py` serves it: in the language asked for, the same page again from memory, never one
address's page for another, and a crowd asking at once all served the one page."""
import json
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from texts import TEXTS


def page(url: str, **headers) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
        return r.read().decode()


def config(html: str) -> dict:
    return json.loads(re.search(r"window\.gradio_config = (\{.*?\});\s*</script>", html, re.S)[1])


def test_the_page_is_served_in_the_language_asked_for_and_the_same_again(server):
    english, chinese = page(server, **{"Accept-Language": "en-US"}), page(server, **{"Accept-Language": "zh-CN,zh"})
    assert config(english)["title"] == TEXTS["en"]["page_title"]
    assert config(chinese)["title"] == TEXTS["zh"]["page_title"]
    assert page(server, **{"Accept-Language": "zh-CN,zh"}) == chinese  # again, from memory: the same page
    assert page(server + "?lang=zh", **{"Accept-Language": "en-US"}) != english  # the address's choice wins
    assert config(page(server + "?lang=zh"))["title"] == TEXTS["zh"]["page_title"]


def test_a_page_kept_for_one_address_is_not_served_for_another(server):
    local = config(page(server))["root"]
    proxied = config(page(server, **{"X-Forwarded-Host": "example.org", "X-Forwarded-Proto": "https"}))["root"]
    assert proxied == "https://example.org" and local.startswith("http://127.0.0.1")
    assert config(page(server))["root"] == local


def test_a_crowd_asking_for_a_page_at_once_gets_it_whole(server):
    url = server + "?lang=zh&crowd=1"  # a way of asking no test used before: not kept yet
    with ThreadPoolExecutor(24) as pool:
        pages = list(pool.map(lambda _: page(url), range(24)))
    assert len(set(pages)) == 1 and config(pages[0])["title"] == TEXTS["zh"]["page_title"]
