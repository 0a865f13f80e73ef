#!/usr/bin/env python3
"""Screenshots of pmcoach pages in headless Chromium, signed in as someone.

Talks the WebDriver protocol to chromedriver with the standard library only.
Usage:
  scripts/screenshot.py BASE_URL OUT_DIR [--email E --password P] NAME=PATH [NAME=PATH ...]
Each page is saved as OUT_DIR/NAME-desktop.png (1280 px wide) and
OUT_DIR/NAME-phone.png (375 px wide), full page height.
Needs Debian's chromium and chromium-driver (installed by .ci/run).
"""
import argparse, base64, json, os, socket, subprocess, sys, time, urllib.request

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call("GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": FLAGS}}}}
        self.session = self.call("POST", "/session", caps)["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read() or b"{}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        value = self.s("POST", "/element", {"using": "css selector", "value": css})["value"]
        return next(iter(value.values()))

    def type(self, css, text):
        self.s("POST", f"/element/{self.find(css)}/value", {"text": text})

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def script(self, code):
        return self.s("POST", "/execute/sync", {"script": code, "args": []})["value"]

    def shot(self, path, width):
        self.s("POST", "/window/rect", {"width": width, "height": 900})
        time.sleep(0.2)
        height = self.script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);")
        self.s("POST", "/window/rect", {"width": width, "height": min(int(height) + 140, 6000)})
        time.sleep(0.3)
        png = base64.b64decode(self.s("GET", "/screenshot")["value"])
        with open(path, "wb") as f:
            f.write(png)

    def quit(self):
        try:
            self.s("DELETE", "")
        finally:
            self.proc.terminate()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("out")
    parser.add_argument("--email")
    parser.add_argument("--password", default="pmcoach-demo")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    driver = Driver()
    try:
        if args.email:
            driver.go(args.base + "/signin")
            driver.type("#email", args.email)
            driver.type("#password", args.password)
            driver.click("form button[type=submit]")
            time.sleep(0.5)
        for spec in args.pages:
            name, path = spec.split("=", 1)
            driver.go(args.base + path)
            time.sleep(0.4)
            for label, width in (("desktop", 1280), ("phone", 375)):
                target = os.path.join(args.out, f"{name}-{label}.png")
                driver.shot(target, width)
                print(target)
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
