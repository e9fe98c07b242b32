"""The real nginx and Apache as test fixtures: self-signed certificates, a main config that includes
the generated files, `nginx -t` / `apache2 -t`, then requests on loopback with a chosen SNI name and
Host header."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"


def make_certs(folder: Path, names: list[str]) -> Path:
    """A self-signed certificate and key per name (``<name>.crt``, ``<name>.key``) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
                        "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.crt")],
                       check=True, capture_output=True)
    return folder


class Nginx:
    """One nginx master on loopback, serving the included config files (stopped by ``stop``)."""

    def __init__(self, base: Path):
        self.base = base
        self.process: subprocess.Popen | None = None

    def main_config(self, includes: list[Path]) -> Path:
        """A main nginx.conf whose ``http`` block includes ``includes``; writable paths under base."""
        logs = self.base / "nginx-logs"
        logs.mkdir(exist_ok=True)
        temp = self.base / "nginx-tmp"
        lines = "\n".join(f"  include {file};" for file in includes)
        main = self.base / "nginx-main.conf"
        main.write_text(f"""user root; daemon off; pid {self.base}/nginx.pid; error_log {logs}/error.log;
events {{ worker_connections 64; }}
http {{ include /etc/nginx/mime.types; access_log {logs}/access.log;
  client_body_temp_path {temp}; proxy_temp_path {temp}; fastcgi_temp_path {temp};
  uwsgi_temp_path {temp}; scgi_temp_path {temp};
{lines}
}}
""")
        return main

    def test(self, includes: list[Path]) -> subprocess.CompletedProcess:
        """``nginx -t`` on the main config."""
        return subprocess.run([NGINX, "-t", "-c", str(self.main_config(includes))], capture_output=True, text=True)

    def start(self, includes: list[Path], ports: list[int]) -> None:
        """``nginx -t`` (must pass), then run nginx until every port accepts connections."""
        checked = self.test(includes)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([NGINX, "-c", str(self.base / "nginx-main.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_ports(ports, self.base / "nginx-logs/error.log", "nginx")

    def stop(self) -> None:
        """Stop the nginx this fixture started (its own process id only)."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def wait_for_ports(ports: list[int], log: Path, server: str) -> None:
    """Return when every loopback port accepts connections (else fail with the server's error log)."""
    for port in ports:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"{server} did not listen on {port}: {log.read_text() if log.exists() else ''}")


#: Debian's default modules (a fresh ``apt-get install apache2``) and those the generated configs
#: need (ssl, socache_shmcb, headers, rewrite). mod_status is left out: it answers loopback requests.
APACHE_MODULES = ("mpm_event", "authz_core", "authz_host", "authz_user", "authn_core", "authn_file",
                  "auth_basic", "access_compat", "alias", "autoindex", "deflate", "dir", "env", "filter",
                  "mime", "negotiation", "reqtimeout", "setenvif", "headers", "rewrite", "socache_shmcb", "ssl")
#: Debian's stock settings of those modules (DirectoryIndex, TypesConfig, Alias /icons/, ...).
APACHE_MODULE_CONFS = ("alias", "autoindex", "deflate", "dir", "mime", "negotiation", "reqtimeout",
                       "setenvif", "ssl")


def served_folder() -> Path:
    """A temporary folder Apache's workers (``User www-data``) can read: pytest's tmp_path lies under
    a 0700 folder of root's, so Apache's document roots, certificates and ACME webroot go here
    (mode 0755 up to /tmp; remove it with shutil.rmtree after the test)."""
    folder = Path(tempfile.mkdtemp(prefix="govsite-apache-", dir="/tmp"))  # not $TMPDIR: it may be private
    folder.chmod(0o755)
    return folder


class Apache:
    """One Apache on loopback serving the included config files (stopped by ``stop``).

    Its ServerRoot, PidFile, ErrorLog, mutexes and TLS session cache are in ``base/apache``; it runs
    in the foreground in its own process group, so ``stop`` ends its workers too. ``base`` must be
    readable by www-data (``served_folder``)."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "apache"
        self.process: subprocess.Popen | None = None

    def main_config(self, includes: list[Path], ports: list[int]) -> Path:
        """A main config like Debian's apache2.conf: ``Listen`` on loopback ``ports``, then ``includes``."""
        self.root.mkdir(exist_ok=True)
        modules = "\n".join(f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so"
                            for name in APACHE_MODULES)
        confs = "\n".join(f"Include /etc/apache2/mods-available/{name}.conf" for name in APACHE_MODULE_CONFS)
        listen = "\n".join(f"Listen 127.0.0.1:{port}" for port in ports)
        included = "\n".join(f"Include {file}" for file in includes)
        main = self.root / "apache2.conf"
        main.write_text(f"""ServerRoot {self.root}
DefaultRuntimeDir {self.root}
PidFile {self.root}/apache.pid
ErrorLog {self.root}/error.log
LogLevel warn
Mutex file:{self.root} default
User www-data
Group www-data
ServerName localhost
{modules}
{confs}
LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{{Referer}}i\\" \\"%{{User-Agent}}i\\"" combined
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
# Debian's apache2.conf grants /var/www/ (where GOVSITE_SERVER['root'] is by default) like this.
<Directory {self.base}/>
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>
{listen}
{included}
""")
        return main

    def test(self, includes: list[Path], ports: list[int]) -> subprocess.CompletedProcess:
        """``apache2 -t`` on the main config."""
        main = self.main_config(includes, ports)
        return subprocess.run([APACHE, "-t", "-f", str(main)], capture_output=True, text=True, env=self.env())

    def env(self) -> dict:
        """Debian's ssl.conf puts its session cache in ``$APACHE_RUN_DIR``: here, the ServerRoot."""
        return {**os.environ, "APACHE_RUN_DIR": str(self.root)}

    def start(self, includes: list[Path], ports: list[int]) -> None:
        """``apache2 -t`` (must pass), then run Apache until every port accepts connections."""
        checked = self.test(includes, ports)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([APACHE, "-f", str(self.root / "apache2.conf"), "-DFOREGROUND"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True, env=self.env())
        wait_for_ports(ports, self.root / "error.log", "apache2")

    def stop(self) -> None:
        """Stop the Apache this fixture started: its process group (the parent and its workers)."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
            self.process = None


def log_with(path: Path, line: str) -> str:
    """The log file once it holds ``line``: servers write a request's log line after its answer
    (5 s at most, then the text as it is)."""
    for _ in range(50):
        text = path.read_text("utf-8") if path.exists() else ""
        if line in text:
            break
        time.sleep(0.1)
    return text


def http_get(port: int, host: str, path: str) -> tuple[int, dict, bytes]:
    """GET over plain HTTP with ``Host: host``: status, headers, body (redirects not followed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def https_get(port: int, sni: str, host: str, path: str, ca: Path | None = None) -> tuple[int, dict, bytes]:
    """GET over TLS naming ``sni`` in the handshake and ``host`` in the Host header; with ``ca``
    the server's certificate must be that certificate, for the name ``sni``."""
    context = ssl.create_default_context(cafile=str(ca)) if ca else ssl._create_unverified_context()
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        tls = context.wrap_socket(raw, server_hostname=sni)
    except BaseException:
        raw.close()
        raise
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=5)
    connection.sock = tls
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def server_blocks(conf: str) -> list[str]:
    """The top-level ``server { ... }`` blocks of an nginx config, as text."""
    blocks, depth, current = [], 0, []
    for line in conf.splitlines():
        if depth == 0 and line.startswith("server {"):
            current = []
        depth += line.count("{") - line.count("}")
        current.append(line)
        if depth == 0 and current and current[0].startswith("server {"):
            blocks.append("\n".join(current))
            current = []
    return blocks


def build(group, tmp_path, today, server=None, lifecycle=None) -> dict:
    """Build the group as of ``today`` into tmp_path/output (static checks only): {site id: result}."""
    from govsite.build import build_group

    settings = {"GOVSITE_A11Y": {"engine": "static"}, "GOVSITE_TODAY": today}
    if server:
        settings["GOVSITE_SERVER"] = server
    if lifecycle:
        settings["GOVSITE_LIFECYCLE"] = lifecycle
    results = build_group(group.root, tmp_path / "output", cache_dir=tmp_path / "cache", reports_dir=None,
                          records_dir=tmp_path / "records", archives_dir=tmp_path / "archives", settings=settings)
    return {r.site_id: r for r in results}


def tls_settings(tmp_path, http_port: int, https_port: int) -> dict:
    """GOVSITE_SERVER for a loopback test: TLS on high ports, every path under tmp_path."""
    for name in ("logs", "acme"):
        (tmp_path / name).mkdir(exist_ok=True)
    return {"tls": True, "http_port": http_port, "https_port": https_port, "root": str(tmp_path / "output"),
            "log_dir": str(tmp_path / "logs"), "cert_dir": str(tmp_path / "tls"),
            "acme_webroot": str(tmp_path / "acme")}
