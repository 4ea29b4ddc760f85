"""Take the README's screenshots from the running app, so they always show today's layout.

Run: make screenshots   (or .venv/bin/python scripts/screenshots.py [--out docs/img])

Builds a fresh SQLite database with the demo data in a temporary folder, serves it with
gunicorn on a free loopback port, logs in as the demo advisor and the demo coach in
Debian's Chromium (driven by Playwright) and saves PNGs: the report on a desktop and on a
phone, the first page of its PDF (through pdftoppm), the trend and the coach's dashboard.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "demo-password-360"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def serve(folder: Path) -> tuple[subprocess.Popen, str]:
    """The demo app on a free port, on a new SQLite file in `folder`."""
    import socket

    env = {**os.environ, "PIB360_CONFIG": "development", "MAIL_CONSOLE": "false",
           "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite'}"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([sys.executable, "-m", "pib360", *command], cwd=ROOT, env=env,
                       check=True, capture_output=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2",
                               "--bind", f"127.0.0.1:{port}", "pib360.wsgi:app"],
                              cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/account/login", timeout=2).close()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the app did not start")


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/account/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(browser, base: str, out: Path) -> None:
    """Every picture of the README."""
    for name, options in (("report-desktop", DESKTOP), ("report-phone", PHONE)):
        context = browser.new_context(**options)
        page = context.new_page()
        log_in(page, base, "advisor@example.com")
        page.click("text=Demo: najaar 2026")
        page.click("a[href*='/reports/']")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / f"{name}.png"), full_page=False)
        if name == "report-desktop":
            pdf = page.context.request.get(page.url + "/report.pdf").body()
            (out / "report.pdf").write_bytes(pdf)
            page.goto(base + "/trend/")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(out / "trend.png"), full_page=True)
        context.close()
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    log_in(page, base, "coach@example.com")
    page.screenshot(path=str(out / "coach-dashboard.png"), full_page=True)
    context.close()
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(out / "report.pdf"), str(out / "report-pdf-page1")], check=True)
    (out / "report.pdf").unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        server, base = serve(Path(folder))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                shoot(browser, base, args.out)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"Screenshots written to {args.out}")


if __name__ == "__main__":
    main()
