"""Server configuration for a built site: nginx, Apache and logrotate.

Both web servers listen on IPv4 and IPv6, send the security headers the theme is built for (a
Content-Security-Policy without ``unsafe-inline``, HSTS, X-Content-Type-Options, Referrer-Policy),
answer 503 + Retry-After with the maintenance page during a temporary offline, and apply the
site's redirects; logrotate keeps access logs for at least 180 days (the regulation's six months).

Every server block, port 80 included, logs to ``<log_dir>/<its name>.access.log``. Port 80 serves
``/.well-known/acme-challenge/`` from ``acme_webroot`` (HTTP-01 renewal) and sends everything else
to HTTPS on the block's own name, never to the request's Host. ``nginx_default``/``apache_default``
(one per server, not per site) refuse every Host no site serves. An old domain has HSTS; during its
announcement period (``announced``) its home page and 404 show the announcement and the paths that
exist on the new site redirect (301); afterwards every URL redirects.
Settings: ``GOVSITE_SERVER`` (keys and defaults in ``DEFAULTS``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .identity import check_host
from .redirects import Redirect
from .registry import Site

DEFAULTS = {
    "root": "/var/www/govsite",        # where output/<domain>/ is deployed
    "tls": True,
    "cert_dir": "/etc/govsite/tls",    # <domain>.crt and <domain>.key (default.crt/.key: Apache's catch-all)
    "http_port": 80,
    "https_port": 443,
    "log_dir": "/var/log/govsite",
    "log_days": 180,
    "retry_after": 3600,
    "hsts_seconds": 31536000,
    "acme_webroot": "/var/lib/govsite/acme",  # certbot --webroot -w <this>: HTTP-01 challenges on port 80
    "redirect_hosts": (),              # hosts outside the group that redirects.csv targets may name
}
#: The log of requests no site serves (refused by the default server).
UNKNOWN_HOST_LOG = "unknown-host"

CSP = ("default-src 'self'; script-src 'self'{extra}; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'{connect}; frame-ancestors 'self'; base-uri 'self'; form-action 'self'; "
       "object-src 'none'")
#: Site search bundles are read by the portal's group search from the department domains (CORS).
SEARCH_BUNDLE = "/search-index/"


@dataclass(frozen=True)
class ServerSettings:
    """Validated GOVSITE_SERVER settings."""

    root: str
    tls: bool
    cert_dir: str
    http_port: int
    https_port: int
    log_dir: str
    log_days: int
    retry_after: int
    hsts_seconds: int
    acme_webroot: str
    redirect_hosts: tuple[str, ...]

    @classmethod
    def of(cls, settings: dict | None) -> "ServerSettings":
        values = {**DEFAULTS, **(settings or {})}
        unknown = set(values) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"GOVSITE_SERVER: unknown key(s) {sorted(unknown)}; known: {sorted(DEFAULTS)}")
        if int(values["log_days"]) < 180:
            raise ValueError("GOVSITE_SERVER['log_days']: keep access logs for at least 180 days (6 months)")
        hosts = values["redirect_hosts"]
        if isinstance(hosts, str) or not all(isinstance(h, str) and check_host(h) is None for h in hosts):
            raise ValueError(f"GOVSITE_SERVER['redirect_hosts'] = {hosts!r}: expected a list of host names "
                             'in lower case, like ["www.example.gov.cn"]')
        for key in ("root", "cert_dir", "log_dir", "acme_webroot"):
            if not re.fullmatch(r"/[\w./-]*", str(values[key])):
                raise ValueError(f"GOVSITE_SERVER[{key!r}] = {values[key]!r}: expected an absolute path of "
                                 "letters, digits and . _ - /")
        return cls(**{**values, "redirect_hosts": tuple(hosts)})


def search_sources(site: Site) -> str:
    """A portal's group search fetches its departments' search bundles: ``https://*.<x>.gov.cn``."""
    if not site.leads_group or "." not in site.domain:
        return ""
    zone = site.domain.split(".", 1)[1].encode("idna").decode("ascii")
    return f" https://*.{zone}"


def csp(site_allows_badge_script: bool, site: Site | None = None) -> str:
    return CSP.format(extra=" https://dcs.conac.cn" if site_allows_badge_script else "",
                      connect=search_sources(site) if site is not None else "")


def _headers(settings: ServerSettings, policy: str, indent: str) -> list[str]:
    lines = [f'add_header Content-Security-Policy "{policy}" always;',
             'add_header X-Content-Type-Options "nosniff" always;',
             'add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
             'add_header X-Frame-Options "SAMEORIGIN" always;']
    if settings.tls:
        lines.append(f'add_header Strict-Transport-Security "max-age={settings.hsts_seconds}" always;')
    return [indent + line for line in lines]


def _listen(settings: ServerSettings, indent: str, default: bool = False) -> list[str]:
    flag = " default_server" if default else ""
    if settings.tls:
        port = settings.https_port
        return [f"{indent}listen {port} ssl{flag};", f"{indent}listen [::]:{port} ssl{flag};"]
    return [f"{indent}listen {settings.http_port}{flag};", f"{indent}listen [::]:{settings.http_port}{flag};"]


def _tls(settings: ServerSettings, domain: str, indent: str) -> list[str]:
    if not settings.tls:
        return []
    return [f"{indent}ssl_certificate {settings.cert_dir}/{domain}.crt;",
            f"{indent}ssl_certificate_key {settings.cert_dir}/{domain}.key;"]


def _logs(settings: ServerSettings, name: str, indent: str) -> list[str]:
    """The platform's access and error log of one name (kept ``log_days`` by logrotate)."""
    return [f"{indent}access_log {settings.log_dir}/{name}.access.log;",
            f"{indent}error_log {settings.log_dir}/{name}.error.log;"]


def https_origin(settings: ServerSettings, name: str) -> str:
    """``https://<name>`` (with the port when HTTPS is served on a port other than 443)."""
    port = settings.https_port if settings.tls and settings.https_port != 443 else None
    return f"https://{name}" + (f":{port}" if port else "")


def _variable(site: Site) -> str:
    return "$govsite_redirect_" + re.sub(r"\W", "_", site.id)


def _quote(value: str, variables_expanded: bool = True) -> str:
    """An nginx string. Where nginx expands variables (a map's value) no ``$`` may reach it
    (``redirects.check_target`` refuses it; this is the last guard); a map's key is literal."""
    if (variables_expanded and "$" in value) or any(ord(c) < 0x20 for c in value):
        raise ValueError(f"not written into nginx: {value!r} holds $ or a control character")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _http_block(settings: ServerSettings, name: str) -> list[str]:
    """Port 80 for one name: its log, ACME HTTP-01 challenges, then HTTPS on the same name."""
    return ["server {", f"    listen {settings.http_port};", f"    listen [::]:{settings.http_port};",
            f"    server_name {name};", *_logs(settings, name, "    "),
            "    location ^~ /.well-known/acme-challenge/ {", f"        root {settings.acme_webroot};",
            "        default_type text/plain;", "        try_files $uri =404;", "    }",
            "    location / {", f"        return 301 {https_origin(settings, name)}$request_uri;", "    }", "}", ""]


def _old_domain_block(site: Site, settings: ServerSettings, old: str, policy: str, announcing: bool) -> list[str]:
    """An old domain: the announcement at / and on 404 while ``announcing``, else a 301 for every URL."""
    new = https_origin(settings, site.domain)
    lines = ["server {", *_listen(settings, "    "), f"    server_name {old};", *_tls(settings, old, "    "),
             *_logs(settings, old, "    "), *_headers(settings, policy, "    ")]
    if not announcing:
        return lines + [f"    return 301 {new}$request_uri;", "}", ""]
    return lines + [
        f"    root {settings.root}/{old};", "    index index.html;", "    charset utf-8;",
        "    error_page 404 /404.html;",
        "    location = / { }", "    location = /index.html { }", "    location = /404.html { internal; }",
        "    location ^~ /theme/ { }", f"    location = /{site.logo} {{ }}",
        "    location ~ /\\. { deny all; }",
        "    location / {",
        f"        if (-e {settings.root}/{site.domain}$uri) {{ return 301 {new}$request_uri; }}",
        "        return 404;", "    }", "}", ""]


def nginx(site: Site, settings: ServerSettings, redirects: list[Redirect], old_domains: list[str],
          maintenance: bool, badge_script: bool = False, announced: frozenset[str] = frozenset()) -> str:
    """An nginx config (an ``http``-level include) for the site and its old domains (those in
    ``announced`` show the domain change announcement); include ``nginx_default`` once beside it."""
    variable = _variable(site)
    policy = csp(badge_script, site)
    lines = [f"# Generated by govsite for {site.domain} ({site.name}): do not edit by hand.",
             f"map $uri {variable} {{", '    default "";']
    lines += [f"    {_quote('/' + r.old_path, False)} {_quote(r.target_url(site))};" for r in redirects]
    lines += ["}", ""]
    if settings.tls:
        for name in (site.domain, *old_domains):
            lines += _http_block(settings, name)
    lines += ["server {", *_listen(settings, "    "), f"    server_name {site.domain};",
              *_tls(settings, site.domain, "    "),
              f"    root {settings.root}/{site.domain};", "    index index.html;", "    charset utf-8;",
              *_logs(settings, site.domain, "    "),
              *_headers(settings, policy, "    "),
              "    error_page 404 /404.html;",
              "    location ~ /\\. { deny all; }"]
    if maintenance:
        lines += ["    error_page 503 /maintenance.html;",
                  "    location = /maintenance.html {",
                  f'        add_header Retry-After "{settings.retry_after}" always;',
                  *_headers(settings, policy, "        "), "    }",
                  "    location ^~ /theme/ { }", "    location ^~ /images/ { }",
                  "    location / {", "        return 503;", "    }"]
    else:
        lines += [f"    if ({variable}) {{", f"        return 301 {variable};", "    }",
                  f"    location ^~ {SEARCH_BUNDLE} {{",
                  '        add_header Access-Control-Allow-Origin "*" always;',
                  *_headers(settings, policy, "        "), "        try_files $uri =404;", "    }",
                  "    location / {", "        try_files $uri $uri/ =404;", "    }"]
    lines += ["}", ""]
    for old in old_domains:
        lines += _old_domain_block(site, settings, old, policy, old in announced)
    return "\n".join(lines)


def nginx_default(settings: ServerSettings) -> str:
    """The default server (one per nginx, whatever the number of sites): every Host no site serves is
    refused (444: connection closed on HTTP; TLS handshake rejected, or 421 when SNI names a site)."""
    lines = ["# Generated by govsite: include once per nginx. Refuses every Host that no site serves.",
             "server {", f"    listen {settings.http_port} default_server;",
             f"    listen [::]:{settings.http_port} default_server;", "    server_name _;",
             *_logs(settings, UNKNOWN_HOST_LOG, "    "), "    return 444;", "}"]
    if settings.tls:
        lines += ["server {", *_listen(settings, "    ", default=True), "    server_name _;",
                  "    ssl_reject_handshake on;", *_logs(settings, UNKNOWN_HOST_LOG, "    "),
                  "    return 421;", "}"]
    return "\n".join(lines) + "\n"


def _apache_logs(settings: ServerSettings, name: str) -> list[str]:
    return [f"    CustomLog {settings.log_dir}/{name}.access.log combined",
            f"    ErrorLog {settings.log_dir}/{name}.error.log"]


def _apache_tls(settings: ServerSettings, name: str) -> list[str]:
    if not settings.tls:
        return []
    return ["    SSLEngine on", f"    SSLCertificateFile {settings.cert_dir}/{name}.crt",
            f"    SSLCertificateKeyFile {settings.cert_dir}/{name}.key"]


def _apache_headers(settings: ServerSettings, policy: str, hsts: bool = True) -> list[str]:
    lines = [f'    Header always set Content-Security-Policy "{policy}"',
             '    Header always set X-Content-Type-Options "nosniff"',
             '    Header always set Referrer-Policy "strict-origin-when-cross-origin"',
             '    Header always set X-Frame-Options "SAMEORIGIN"']
    if settings.tls and hsts:
        lines.append(f'    Header always set Strict-Transport-Security "max-age={settings.hsts_seconds}"')
    return lines


def _apache_directory(folder: str, overrides: str) -> list[str]:
    """A served folder as nginx serves one: no directory listings or content negotiation (Debian's
    apache2.conf turns ``Indexes`` on for /var/www), dot-files refused; ``.htaccess`` read if ``overrides``."""
    return [f"    <Directory {folder}>", "        Options FollowSymLinks", f"        AllowOverride {overrides}",
            "        Require all granted", "    </Directory>",
            '    <FilesMatch "^\\.">', "        Require all denied", "    </FilesMatch>"]


def _apache_self_urls() -> list[str]:
    """Apache's own redirects (``/news`` to ``/news/``) name the vhost's ServerName and the port it
    listens on, as nginx's do, never the name or port of the request's Host header."""
    return ["    UseCanonicalName On", "    UseCanonicalPhysicalPort On"]


def _apache_redirect(origin: str) -> list[str]:
    """A 301 to ``origin`` + the path as the client sent it (the request line's target, absolute-form
    included), then Apache appends the query: nginx's ``$request_uri``, not decoded, normalised or
    re-encoded. (The query is not in the back-reference: Apache refuses a ``?`` from one, 403.)"""
    return ['    RewriteCond %{THE_REQUEST} "^\\S+ (?:[^/ ]*//[^/ ]*)?(/[^?\\s]*)"',
            f"    RewriteRule ^ {origin}%1 [R=301,L,NE]"]


def _apache_http(settings: ServerSettings, name: str) -> list[str]:
    """Port 80 for one name: its log, ACME HTTP-01 challenges, then HTTPS on the same name."""
    challenges = f"{settings.acme_webroot}/.well-known/acme-challenge"
    return [f"<VirtualHost *:{settings.http_port}>", f"    ServerName {name}", *_apache_logs(settings, name),
            f"    Alias /.well-known/acme-challenge/ {challenges}/",
            f"    <Directory {challenges}>", "        Require all granted", "        ForceType text/plain",
            "    </Directory>",
            "    RewriteEngine On", "    RewriteRule ^/\\.well-known/acme-challenge/ - [L]",
            *_apache_redirect(https_origin(settings, name)), "</VirtualHost>"]


def _apache_old(site: Site, settings: ServerSettings, old: str, policy: str, announcing: bool) -> list[str]:
    """An old domain: the announcement at / and on 404 while ``announcing``, else a 301 for every URL."""
    port = settings.https_port if settings.tls else settings.http_port
    new = https_origin(settings, site.domain)
    lines = [f"<VirtualHost *:{port}>", f"    ServerName {old}", *_apache_self_urls(), *_apache_tls(settings, old),
             *_apache_logs(settings, old), *_apache_headers(settings, policy)]
    if not announcing:
        return lines + ["    RewriteEngine On", *_apache_redirect(new), "</VirtualHost>"]
    logo = re.escape(site.logo)
    new_root = f"{settings.root}/{site.domain}"
    # As nginx's locations: dot paths 403; the announcement, its style and logo served; a path the new
    # site has 301; anything else (404.html asked directly, files only the old folder has) the 404 page.
    return lines + [
        f"    DocumentRoot {settings.root}/{old}", "    DirectoryIndex index.html", "    AddDefaultCharset utf-8",
        "    ErrorDocument 404 /404.html", *_apache_directory(f"{settings.root}/{old}", "None"),
        "    RewriteEngine On", "    RewriteRule /\\. - [F]",
        f"    RewriteCond %{{REQUEST_URI}} !^/(index\\.html|404\\.html|theme/.*|{logo})?$",
        f"    RewriteCond {new_root}%{{REQUEST_URI}} -f [OR]",
        f"    RewriteCond {new_root}%{{REQUEST_URI}} -d", *_apache_redirect(new),
        "    RewriteCond %{ENV:REDIRECT_STATUS} ^$",
        f"    RewriteCond %{{REQUEST_URI}} !^/(index\\.html|theme/.*|{logo})?$",
        "    RewriteRule ^ - [R=404,L]", "</VirtualHost>"]


def apache(site: Site, settings: ServerSettings, old_domains: list[str], badge_script: bool = False,
           announced: frozenset[str] = frozenset()) -> str:
    """An Apache config for the site and its old domains (redirects and maintenance are in .htaccess);
    include ``apache_default`` once, before every site."""
    port = settings.https_port if settings.tls else settings.http_port
    policy = csp(badge_script, site)
    lines = [f"# Generated by govsite for {site.domain}: do not edit by hand."]
    if settings.tls:
        for name in (site.domain, *old_domains):
            lines += _apache_http(settings, name)
    lines += [f"<VirtualHost *:{port}>", f"    ServerName {site.domain}", *_apache_self_urls(),
              *_apache_tls(settings, site.domain),
              f"    DocumentRoot {settings.root}/{site.domain}", *_apache_logs(settings, site.domain),
              *_apache_headers(settings, policy),
              f'    <Location "{SEARCH_BUNDLE}">', '        Header always set Access-Control-Allow-Origin "*"',
              "    </Location>",
              "    AddDefaultCharset utf-8", "    ErrorDocument 404 /404.html",
              # Debian's alias.conf maps /icons/ to Apache's own icons in every vhost: not here.
              f"    Alias /icons/ {settings.root}/{site.domain}/icons/",
              *_apache_directory(f"{settings.root}/{site.domain}", "FileInfo"), "</VirtualHost>"]
    for old in old_domains:
        lines += _apache_old(site, settings, old, policy, old in announced)
    return "\n".join(lines) + "\n"


def apache_default(settings: ServerSettings) -> str:
    """The catch-all virtual hosts (include once, before every site: Apache's first vhost of a port is
    its default): every Host no site serves gets 421, logged; HTTPS uses ``default.crt`` naming no site."""
    lines = ["# Generated by govsite: include once per Apache, before the sites. Refuses every Host that no site serves."]
    ports = [(settings.http_port, False)] + ([(settings.https_port, True)] if settings.tls else [])
    for port, tls in ports:
        lines += [f"<VirtualHost *:{port}>", "    ServerName unknown-host.invalid",
                  *(_apache_tls(settings, "default") if tls else []), *_apache_logs(settings, UNKNOWN_HOST_LOG),
                  "    RewriteEngine On", "    RewriteRule ^ - [R=421,L]", "</VirtualHost>"]
    return "\n".join(lines) + "\n"


def logrotate(settings: ServerSettings) -> str:
    """Daily rotation keeping ``log_days`` days of logs (at least six months)."""
    return (f"{settings.log_dir}/*.log {{\n    daily\n    rotate {settings.log_days}\n    maxage {settings.log_days}\n"
            "    missingok\n    notifempty\n    compress\n    delaycompress\n    dateext\n    sharedscripts\n"
            "    postrotate\n        [ -s /run/nginx.pid ] && kill -USR1 \"$(cat /run/nginx.pid)\" || true\n"
            "    endscript\n}\n")
