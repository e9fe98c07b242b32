"""Command-line tasks (invoke). Each task is a thin adapter over the govsite package."""

from invoke import task

from govsite import console

CONFIG = {"content": "content", "output": "output", "reports": "reports", "port": 8000}


@task(help={"content": "the group's content folder (default: content)"})
def validate(c, content=CONFIG["content"]):
    """Validate every site.toml of the group and list the sites."""
    console.exit_with(console.validate(content))


@task(
    iterable=["site"],
    help={
        "site": "build only this site id (repeatable); default: every site",
        "content": "the group's content folder (default: content)",
        "output": "where <domain>/ folders are written (default: output)",
        "cache": "cache folder: Pelican's content cache and the gate's state (default: .cache)",
        "reports": "accessibility reports go to <reports>/<domain>/ (default: reports)",
        "workers": "parallel site builds (default: number of cores)",
        "strict": "treat Pelican warnings as errors",
    },
)
def build(c, site=None, content=CONFIG["content"], output=CONFIG["output"], cache=None, workers=None,
          strict=False, reports=CONFIG["reports"]):
    """Build every site (or --site ID) into <output>/<domain>/; failed sites keep their old output."""
    workers = int(workers) if workers else None
    console.exit_with(console.build(content, output, site or None, cache, workers, strict, reports))


@task(help={"output": "the built group (default: output)", "port": "loopback port (default: 8000)"})
def serve(c, output=CONFIG["output"], port=CONFIG["port"]):
    """Serve the built group on 127.0.0.1: http://127.0.0.1:PORT/<domain>/ or by Host header."""
    from govsite.serve import make_server, site_folders
    from pathlib import Path

    server = make_server(output, int(port))
    for domain in site_folders(Path(output)):
        print(f"  http://127.0.0.1:{port}/{domain}/")
    print("Ctrl-C stops the server.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@task
def clean(c, output=CONFIG["output"]):
    """Remove the built output, the reports and the caches."""
    import shutil

    for path in (output, ".cache", "reports"):
        shutil.rmtree(path, ignore_errors=True)
