"""The words for an import's states, row verdicts and error codes, which the rows store as codes
so that each person reads them in their own language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.states import ImportState, RowKind

STATE_LABELS = {
    ImportState.CHECKING: _l("wordt gecontroleerd"),
    ImportState.CHECKED: _l("gecontroleerd, niet verwerkt"),
    ImportState.APPLIED: _l("verwerkt"),
    ImportState.DISCARDED: _l("verworpen"),
}
KIND_LABELS = {
    RowKind.NEW: _l("nieuw"),
    RowKind.CHANGED: _l("gewijzigd"),
    RowKind.UNCHANGED: _l("ongewijzigd"),
    RowKind.ERROR: _l("fout"),
}
FIELD_LABELS = {
    "description": _l("omschrijving"),
    "start_date": _l("startdatum"),
    "end_date": _l("einddatum"),
    "annual_value_cents": _l("jaarbedrag"),
    "leverancier": _l("leverancier"),
    "referentie": _l("referentie"),
    "omschrijving": _l("omschrijving"),
}
ERRORS = {
    "columns": _l("De regel heeft te weinig kolommen."),
    "kvk": _l("Het KvK-nummer heeft geen 8 cijfers."),
    "reference_missing": _l("De referentie ontbreekt."),
    "name_missing": _l("Onbekend KvK-nummer en geen naam van de leverancier: vul de kolom "
                       "leverancier in."),
    "start_missing": _l("De startdatum ontbreekt."),
    "start_invalid": _l("De startdatum is geen datum als 31-12-2026 of 2026-12-31."),
    "end_invalid": _l("De einddatum is geen datum als 31-12-2026 of 2026-12-31."),
    "start_out_of_range": _l("De startdatum ligt niet tussen 1900 en 2199."),
    "end_out_of_range": _l("De einddatum ligt niet tussen 1900 en 2199. Loopt het contract "
                           "door zonder einde, laat de einddatum dan leeg."),
    "end_before_start": _l("De einddatum ligt vóór de startdatum."),
    "amount:empty": _l("Het jaarbedrag ontbreekt."),
    "amount:negative": _l("Het jaarbedrag is negatief."),
    "amount:too_many_decimals": _l("Het jaarbedrag heeft meer dan twee decimalen."),
    "amount:ambiguous": _l("Het jaarbedrag kan op twee manieren gelezen worden (duizendtallen "
                           "of decimalen?). Schrijf het als 1.500,00 of 1,50."),
    "amount:too_large": _l("Het jaarbedrag is te groot: ten hoogste € 999.999.999.999,99."),
    "amount:invalid": _l("Het jaarbedrag is geen bedrag."),
}


def row_detail(row) -> str:
    """Why a row is an error, or which fields it changes."""
    codes = [code for code in row.detail.split(",") if code]
    if row.kind != RowKind.ERROR:
        return ", ".join(str(FIELD_LABELS.get(code, code)) for code in codes)
    messages = []
    for code in codes:
        name, _sep, value = code.partition(":")
        if name == "duplicate":
            messages.append(_("Dezelfde KvK en referentie staan ook op regel %(line)s.",
                              line=value))
        elif name == "too_long":
            messages.append(_("De kolom %(column)s is te lang.",
                              column=FIELD_LABELS.get(value, value)))
        else:
            messages.append(str(ERRORS.get(code, code)))
    return " ".join(messages)
