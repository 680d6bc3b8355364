"""Role mailboxes: an organisation's shared address names no one.

"support@altavia-solutions.fr", "buchhaltung@haverlane.de", "atencion@casalumbre.es" are a
department's or a firm's published addresses: whoever reads them, they identify no person,
and a customer notice full of them is no personal data. Masking them only degrades the
answer (an assistant asked to rewrite the notice sees `<EMAIL_ADDRESS_…>`), and pushes users
to switch the proxy off.

An address is a role mailbox when its whole local part is a role word or two of them
("info", "customer-service", "service.client"), at a domain that is neither a mailbox
provider's ("info@gmail.com" is someone's) nor a person's own site ("hello@saoirsedraws.ie",
"contact@aurelienfaure.fr": a sole trader's address is theirs). It then scores
`ROLE_MAILBOX_SCORE`, under the default policy's threshold: a policy that wants every
address masked gives EMAIL_ADDRESS `min_score: 0.2`.
"""

from __future__ import annotations

import regex as re

from proxy.detection.name_index import COMMON_ANYWHERE, Flag, flags
from proxy.detection.normalise import OFFLINE_TLD_EXTRACT

ROLE_MAILBOX_SCORE = 0.2

MAILBOX_WORDS = frozenset(
    (
        # contact and service desks
        "info", "infos", "information", "contact", "contacts", "kontakt", "contatto",
        "contatti", "contacto", "hello", "hallo", "hola", "bonjour", "ciao", "office",
        "buero", "büro", "bureau", "ufficio", "oficina", "mail", "email", "post", "posta",
        "correo", "enquiries", "inquiries", "anfragen", "consultas", "richieste", "support",
        "soporte", "supporto", "assistance", "assistenza", "asistencia", "help", "helpdesk",
        "servicedesk", "service", "services", "servizio", "servicio", "kundenservice",
        "customerservice", "customercare", "customer", "care", "client", "clients", "clientes",
        "clienti", "client", "clientèle", "atencion", "atención", "atencionalcliente",
        "reception", "empfang", "accueil", "recepcion", "recepción", "segreteria",
        "secretaria", "secretariat", "sekretariat", "secretariado", "direction", "direzione",
        "direccion", "dirección", "team", "equipe", "équipe", "staff", "desk",
        # money and paperwork
        "accounts", "accounting", "billing", "invoices", "invoice", "buchhaltung",
        "rechnung", "rechnungen", "compta", "comptabilite", "comptabilité", "facturation",
        "factures", "facturacion", "facturación", "administracion", "administración",
        "amministrazione", "administration", "verwaltung", "admin", "finance", "finanzas",
        "finanza", "tesoreria", "treasury", "payroll", "lohn", "paie", "nominas", "paghe",
        "procurement", "einkauf", "achats", "compras", "acquisti", "orders", "order",
        "bestellung", "bestellungen", "pedidos", "ordini", "commandes", "commande",
        # people functions and public relations
        "hr", "rh", "rrhh", "jobs", "careers", "karriere", "bewerbung", "empleo", "lavoro",
        "recrutement", "recruiting", "press", "presse", "prensa", "stampa", "media",
        "marketing", "sales", "vertrieb", "ventas", "vendite", "ventes", "commercial",
        "commerciale", "partners", "partner", "investors", "ir", "events", "eventi",
        "eventos", "evenements", "événements", "veranstaltungen", "newsletter",
        # legal, privacy, operations
        "privacy", "datenschutz", "dpo", "rgpd", "gdpr", "legal", "recht", "juridique",
        "legale", "compliance", "security", "abuse", "postmaster", "webmaster", "noreply",
        "no", "reply", "donotreply", "it", "logistics", "logistik", "logistique",
        "logistica", "shipping", "versand", "expedition", "envios", "spedizioni", "returns",
        "retouren", "retours", "devoluciones", "resi", "reservations", "booking",
        "reservierung", "reservas", "prenotazioni", "reservation", "tickets", "ticket",
    )
)  # fmt: skip
# Mailbox providers: an address there is a person's, whatever its local part.
_PROVIDERS = frozenset(
    (
        "gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "icloud",
        "me", "mac", "aol", "gmx", "web", "t-online", "freenet", "posteo", "mailbox",
        "protonmail", "proton", "pm", "tutanota", "tuta", "orange", "wanadoo", "free", "laposte",
        "sfr", "neuf", "bbox", "libero", "virgilio", "tiscali", "alice", "tin", "email",
        "telefonica", "movistar", "terra", "yandex", "mail", "zoho", "bluewin", "hispeed",
        "sunrise", "chello", "arcor", "skynet", "telenet", "ziggo", "kpnmail", "btinternet",
        "sky", "virginmedia", "talktalk", "comcast", "verizon", "att", "seznam", "wp", "o2",
        "interia", "onet", "fastwebnet", "inwind", "hushmail", "fastmail", "gmx-topmail",
    )
)  # fmt: skip
_SEPARATORS = re.compile(r"[.\-_+]")
_DIGITS = re.compile(r"\d+$")


def role_mailbox(address: str) -> bool:
    """Whether `address` is an organisation's role mailbox (module docstring)."""
    local, _, domain = address.rpartition("@")
    words = [w for w in _SEPARATORS.split(_DIGITS.sub("", local.casefold())) if w]
    if not words or len(words) > 3 or not all(word in MAILBOX_WORDS for word in words):
        return False
    labels = domain.casefold().split(".")
    if any(label in _PROVIDERS for label in labels[:-1]):
        return False
    registered = OFFLINE_TLD_EXTRACT(domain).domain.casefold()
    return bool(registered) and not _a_persons_site(registered)


def _a_persons_site(label: str) -> bool:
    """The domain starts with a first name or is a name ("saoirsedraws", "aurelienfaure",
    "fiete-jansen"): a sole trader's or a person's own site."""
    from proxy.detection.profiles import is_personal_label  # noqa: PLC0415 - no cycle at import

    if is_personal_label(label):
        return True
    head = label.split("-", maxsplit=1)[0]
    return any(
        flags(head[:cut]) & Flag.FIRST and not flags(head[:cut]) & COMMON_ANYWHERE
        for cut in range(4, len(head) + 1)
    )
