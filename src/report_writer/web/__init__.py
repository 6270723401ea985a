"""`report-writer serve`: a local web page for clerks and reviewers (审核, 起草, 批量汇总).

Starlette + uvicorn, server-rendered Jinja2 pages with inline CSS (no front-end build, no CDN:
it works on an offline machine). The page only calls the library (check, draft, data); it adds
the safety a server needs: bounded uploads, a temporary folder per request, downloads by
opaque ids held in memory.
"""
