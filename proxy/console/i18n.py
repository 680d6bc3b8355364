"""The console's words in English and French: one table, the same keys in both (a test holds
them to it). The language is `?lang=`, then the `voile_lang` cookie it sets, then the
browser's Accept-Language, then English."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("en", "fr")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Voile console",
        "skip": "Skip to content",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "account": "Account",
        "password": "Password",
        "token": "Or a token",
        "sign_in_failed": "Wrong account, password or token.",
        "sign_in_limited": "Too many failed sign-ins: wait a minute and try again.",
        "sign_in_unaudited": "The audit trail cannot record this sign-in now; try again later.",
        "form_expired": "This form has expired: please try again.",
        "signed_in_as": "Signed in as",
        "role_viewer": "viewer",
        "role_reviewer": "reviewer",
        "role_security_admin": "security admin",
        "dashboard": "Dashboard",
        "records": "Audit trail",
        "report": "Monthly report",
        "requests_per_day": "Requests per day, last 14 days",
        "forwarded": "forwarded",
        "blocked": "blocked",
        "refused": "rejected or failed",
        "total": "Total",
        "filters": "Filters",
        "since": "From (date)",
        "until": "Until (date, excluded)",
        "app": "App",
        "provider": "Provider",
        "region": "Region",
        "model": "Model",
        "entity": "Entity type",
        "decision": "Decision",
        "any": "any",
        "end_user": "End user id (needs the app)",
        "apply": "Apply",
        "reset": "Reset",
        "no_records": "No audit records match.",
        "next_page": "Next page",
        "first_page": "First page",
        "seq": "Entry",
        "time": "Time",
        "status": "Status",
        "entities": "Personal data (types)",
        "record": "Audit record",
        "metadata": "Metadata",
        "payload": "Payload",
        "reason": "Why do you need to read it? (recorded in the audit trail)",
        "decrypt": "Decrypt",
        "decrypt_note": (
            "Decrypting writes an access entry naming you and your reason to the trail first."
        ),
        "no_decrypt": "Your role does not allow decrypting payloads.",
        "reason_required": "A reason is required (at most 2000 characters).",
        "access_entry": "Recorded as access entry",
        "payload_erased": "This payload was erased or purged.",
        "audit_unavailable": (
            "The audit trail cannot record this access now, so nothing was decrypted."
        ),
        "unreadable": "No key opens this payload (corrupt or tampered): run a verification.",
        "not_found": "Not found.",
        "forbidden": "Your role does not allow this.",
        "bad_filter": "A filter is not valid",
        "month": "Month",
        "download_json": "Download JSON",
        "download_csv": "Download CSV",
        "view": "View",
        "bad_month": "Month must be YYYY-MM.",
        "language": "Language",
        "chain": "Chain integrity",
        "trail": "Trail",
        "checkpoints": "Latest signed checkpoints",
        "signed_at": "Signed at",
        "signer": "Key",
        "head": "Head hash",
        "no_checkpoints": "No checkpoint yet.",
        "last_verification": "Last verification from this console",
        "never_verified": "Not verified from this console since it started.",
        "verify_now": "Verify now",
        "verifying": "A verification is running; reload this page for its result.",
        "intact": "Intact",
        "broken": "NOT intact",
        "by": "by",
    },
    "fr": {
        "title": "Console Voile",
        "skip": "Aller au contenu",
        "sign_in": "Se connecter",
        "sign_out": "Se déconnecter",
        "account": "Compte",
        "password": "Mot de passe",
        "token": "Ou un jeton",
        "sign_in_failed": "Compte, mot de passe ou jeton incorrect.",
        "sign_in_limited": "Trop d'échecs de connexion : attendez une minute et réessayez.",
        "sign_in_unaudited": (
            "Le journal d'audit ne peut pas enregistrer cette connexion ; réessayez plus tard."
        ),
        "form_expired": "Ce formulaire a expiré : veuillez réessayer.",
        "signed_in_as": "Connecté en tant que",
        "role_viewer": "lecteur",
        "role_reviewer": "réviseur",
        "role_security_admin": "administrateur sécurité",
        "dashboard": "Tableau de bord",
        "records": "Journal d'audit",
        "report": "Rapport mensuel",
        "requests_per_day": "Requêtes par jour, 14 derniers jours",
        "forwarded": "transmises",
        "blocked": "bloquées",
        "refused": "rejetées ou en échec",
        "total": "Total",
        "filters": "Filtres",
        "since": "Depuis (date)",
        "until": "Jusqu'au (date, exclue)",
        "app": "Application",
        "provider": "Fournisseur",
        "region": "Région",
        "model": "Modèle",
        "entity": "Type de donnée",
        "decision": "Décision",
        "any": "toutes",
        "end_user": "Identifiant d'utilisateur final (avec l'application)",
        "apply": "Appliquer",
        "reset": "Réinitialiser",
        "no_records": "Aucun enregistrement ne correspond.",
        "next_page": "Page suivante",
        "first_page": "Première page",
        "seq": "Entrée",
        "time": "Heure",
        "status": "Statut",
        "entities": "Données personnelles (types)",
        "record": "Enregistrement d'audit",
        "metadata": "Métadonnées",
        "payload": "Contenu",
        "reason": "Pourquoi devez-vous le lire ? (consigné dans le journal d'audit)",
        "decrypt": "Déchiffrer",
        "decrypt_note": (
            "Déchiffrer inscrit d'abord au journal une entrée d'accès avec votre nom et votre "
            "motif."
        ),
        "no_decrypt": "Votre rôle ne permet pas de déchiffrer les contenus.",
        "reason_required": "Un motif est requis (2000 caractères au plus).",
        "access_entry": "Consigné comme entrée d'accès",
        "payload_erased": "Ce contenu a été effacé ou purgé.",
        "audit_unavailable": (
            "Le journal d'audit ne peut pas consigner cet accès ; rien n'a été déchiffré."
        ),
        "unreadable": (
            "Aucune clé n'ouvre ce contenu (corrompu ou altéré) : lancez une vérification."
        ),
        "not_found": "Introuvable.",
        "forbidden": "Votre rôle ne le permet pas.",
        "bad_filter": "Un filtre n'est pas valide",
        "month": "Mois",
        "download_json": "Télécharger en JSON",
        "download_csv": "Télécharger en CSV",
        "view": "Afficher",
        "bad_month": "Le mois s'écrit AAAA-MM.",
        "language": "Langue",
        "chain": "Intégrité de la chaîne",
        "trail": "Journal",
        "checkpoints": "Derniers points de contrôle signés",
        "signed_at": "Signé le",
        "signer": "Clé",
        "head": "Empreinte de tête",
        "no_checkpoints": "Aucun point de contrôle pour l'instant.",
        "last_verification": "Dernière vérification depuis cette console",
        "never_verified": "Pas de vérification depuis cette console depuis son démarrage.",
        "verify_now": "Vérifier maintenant",
        "verifying": "Une vérification est en cours ; rechargez la page pour son résultat.",
        "intact": "Intègre",
        "broken": "NON intègre",
        "by": "par",
    },
}


def choose(query: str | None, cookie: str | None, accept_language: str) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


def translator(language: str) -> Callable[[str], str]:
    words = MESSAGES[language]
    return lambda key: words[key]
