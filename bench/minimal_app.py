"""The reference every benchmark is read against: a bare Flask page that renders a Jinja
template of 20 rows, about what a portal page shows, with no database, login or sessions.

bench/load.py serves it with the portal's gunicorn settings and the other benchmarks time it
through the Flask test client, so the portal's figures can be read as a ratio to what Flask,
Jinja (and gunicorn) cost on this machine in the same run.
"""

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<main>
<h1>{{ title }}</h1>
<table>
  <thead><tr><th>KvK</th><th>Naam</th><th>Status</th><th>Opdrachtsom</th></tr></thead>
  <tbody>
  {% for row in rows %}
  <tr data-kvk="{{ row.kvk }}" data-status="{{ row.status }}">
    <td>{{ row.kvk }}</td><td><a href="/suppliers/{{ row.id }}">{{ row.name }}</a></td>
    <td>{{ row.status }}</td><td>{{ "€ {:,}".format(row.cents // 100) }}</td>
  </tr>
  {% endfor %}
  </tbody>
</table>
</main>
</body>
</html>
"""
ROWS = [{"id": i, "kvk": f"{10_000_000 + i * 7919:08d}", "name": f"Bouwbedrijf Maas {i}",
         "status": ("compliant", "non_compliant", "not_required")[i % 3],
         "cents": 15_000_000 + i * 123_456} for i in range(20)]

app = Flask(__name__)
app.jinja_loader = DictLoader({"page.html": PAGE})


@app.get("/")
def page():
    return render_template("page.html", title="Leveranciers", rows=ROWS)
