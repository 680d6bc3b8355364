# ruff: noqa: E501
"""Modèles français de la partie tuning."""

TEMPLATES = """
## hr/email fm
Bonjour {first},

Suite à notre entretien, je vous confirme l'embauche de {name2} au poste de {job} à compter du {date}. Son numéro de sécurité sociale est le {nir2}. Il est domicilié au {addr2:FR}. Merci de préparer le contrat.

Cordialement,
{name3}

## hr/form f
Fiche salarié
Nom : {LAST}
Prénom : {first}
Date de naissance (JJ/MM/AAAA) : {dobnum}
N° de sécurité sociale : {nir}
RIB : {iban:FR}
Adresse : {addr:FR}

## hr/email mf
Objet : arrêt maladie

M. {name}, né le {dob}, nous a transmis un arrêt de travail jusqu'au {date}. Son responsable, Mme {last2}, demande le maintien du salaire. Vous pouvez le joindre au {phone:FR}.

## hr/chat x
slt c {lfirst}, tu peux m'envoyer le contrat de {first2} ? son mail perso c'est {email2}

## hr/note f
Départ de {name} le {date}. Pour toute question sur ses dossiers, contactez {name2} ({email2}, {phone2}). Le pot de départ aura lieu au siège.

## support/email m
Bonjour, je m'appelle {name} et j'ai commandé un {product} (commande n° {order}) il y a trois semaines. Toujours rien reçu à mon adresse, {addr}. Pouvez-vous me rappeler au {phone} ? Merci.

## support/ticket f
Ticket {ticket}
Cliente : Mme {name}
Téléphone : {phone}
E-mail : {email}
Objet : double prélèvement sur la carte {card}. La cliente demande un remboursement sur son compte {iban:FR}.

## support/chat x
Conseiller : Pouvez-vous me donner votre date de naissance ?
Client : {dobnum}
Conseiller : Merci. Et votre adresse de livraison ?
Client : {addr:FR}

## support/email f
Madame, Monsieur,

Je vous prie de bien vouloir résilier mon abonnement. Mes coordonnées : {name}, {addrml}, tél. {phone}.

Veuillez agréer mes salutations distinguées.
{name}

## medical/letter f
Cher confrère,

Je vous adresse Mme {name}, née le {dob} à {city}, pour un bilan cardiologique. Elle est joignable au {phone:FR}. Son médecin traitant est le Dr {last2}.

Bien confraternellement,
Dr {name3}

## medical/note m
Patient : {capsname}
Né le : {dob}
NIR : {nir}
Personne à prévenir : {name2} ({phone2})
Retour à domicile à {city} prévu le {date}.

## medical/chat fm
bonjour docteur, c'est {first}, la maman de {first2}. il a encore de la fièvre, vous pouvez me rappeler au {phone} ?

## banking/email x
Merci d'effectuer un virement de {amount} au profit de {name}, IBAN {iban}, BIC {bic}. Motif : loyer de {weekday}. Pour toute question : {email2}.

## banking/form x
Mandat de prélèvement SEPA
Débiteur : {name}
Adresse : {addr:FR}
IBAN : {iban:FR}
Créancier : {company}, SIREN {siren}

## banking/chat m
bonjour, je suis {name}, ma carte {card:mastercard} a été avalée par le distributeur de {city}, vous pouvez la bloquer ?

## legal/letter x
Maître {name},

Nous accusons réception de votre courrier concernant M. {name2}, demeurant {addr2:FR}. La société {company} (SIRET {siret}, TVA {vat:FR}) conteste la créance.

## legal/email fm
Bonjour Maître,

Ma cliente, Mme {name}, née le {dob}, souhaite engager une procédure contre son ancien employeur. Son numéro de sécurité sociale est {nir}. M. {last2}, témoin, peut être joint au {phone2:FR}.

## legal/note x
Constat dressé à la demande de {name}, demeurant {addr}, en présence de {name2}, huissier de justice à {city2}.

## chat/chat f
coucou {lfirst} !! c'est {lfirst2}, mon nouveau num c'est le {phone:FR}, bisous

## chat/chat m
dis, t'as le numéro de {first} ? il est chez {lfirst2} ce week-end

## chat/chat f
trop bien la soirée chez {first} hier, elle habite {addr:FR} si tu veux passer récupérer ta veste

## sales/signature m
Bien cordialement,

{name}
{job} - {company}
Tél. : {phone:FR}
Port. : {phone2:FR}
{wemail}

## sales/email x
Contact rencontré au {event} : {name}, {job} chez {company}. Il souhaite une démo du {product}. Ses coordonnées : {wemail}, {phonei}.

## it/ticket x
Incident {ticket} : l'utilisateur {email} n'arrive plus à se connecter depuis {ip}. Le compte appartient à {name}, à rappeler au {phone}.

## it/email m
Peux-tu créer un compte pour {name} ? Son GitHub : {url:gh}. Il arrive lundi, le PC est à livrer chez lui : {addr}.

## admin/form x
Déclaration de sinistre
Assuré : {name}
Immatriculation : {plate:FR}
Contrat n° {order}
Accident survenu à {city} le {date}.

## admin/email x
Bonjour {first},

Le dossier de {name2} est incomplet : il manque le justificatif de domicile ({addr2}) et la copie de la carte Vitale (NIR {nir2}).

## hr/email xf
Bonjour {first}, {first2} sera absente jusqu'au {date}. En cas d'urgence, appelez-la au {phone2:BE}.

## admin/note x
Fournisseur {company} : SIREN {siren}, SIRET {siret}, TVA intracommunautaire {vat:FR}. Interlocuteur : {name}, {wemail}.

## hr/form x
Salarié frontalier : {name}
N° AVS : {ahv}
NIR : {nir}
IBAN : {iban:CH}

## banking/email x
Client belge {name}, numéro de registre national {benn}, compte {iban:BE}, TVA {vat:BE}.

## support/ticket x
Ticket {ticket} : remboursement sur la carte {card:discover} de {name} ; seconde carte {card:jcb}.

## legal/note x
Société {company}, RCS, SIRET {siret} ; gérant {name}, né le {dob}, NIR {nir}.

## evasion/chat x
mon mail c'est {email!atdot} merci

## evasion/form x
Sécu : {nir!fw} (pour la mutuelle)

## evasion/chat x
carte bleue {card!wrap}, titulaire {name}

## evasion/email x
écrivez à {email!pct} ou au {phone:FR!spaced}

## evasion/chat x
mon iban {iban!lower} au nom de {name!nbsp}

## evasion/form x
SIRET {siret!zw} ; contact {name!ctrl}

## evasion/chat x
tél {phone:FR!dash} / mail {email!ent}

## evasion/email x
Titulaire : {name!plus}, carte {card!dots}

## benign/prose
Merci de mettre à jour la bibliothèque de la version {version} vers la {version} avant la mise en production de {weekday}.

## benign/report
Le chiffre d'affaires en {place} atteint {amount} au troisième trimestre, soit une hausse de {pct} % ; l'effectif s'établit à {qty} personnes.

## benign/email
Bonjour à tous, la commande n° {order} ({qty} palettes de {product}) est partie de l'entrepôt le {date}. La facture {invoice} suivra.

## benign/prose
{company} présentera le {product} au {event} ; le stand {room} ouvre à {time}.

## benign/ticket
Ticket {ticket} : l'export nocturne a échoué à {time} (code 137). Augmenter la mémoire à 4096 Mo a réglé le problème.

## benign/prose
Le {product} (réf. {sku}, EAN {ean}) est de nouveau disponible à {place}, au prix de {amount} HT.

## benign/report
Le délai de livraison entre {place} et {place} est passé à 4 jours ouvrés ; {pct} % des colis sont arrivés à l'heure en {year}.

## benign/email
Rappel : la revue budgétaire est déplacée au {weekday} {date} à {time}, salle {room}. Merci d'apporter les chiffres du centre de coût {num:6}.

## benign/prose
L'ISBN du livre est {isbn} ; il compte 412 pages et coûte {amount}. Un deuxième tirage de {qty} exemplaires est prévu le {date}.

## benign/chat
qqn sait pourquoi le build {num:8} est rouge ? les tests de la {version} partent en timeout

## benign/report
Contrat {order} avec {company} : {qty} licences à {amount} l'unité, renouvellement le {date}, préavis de 3 mois.

## benign/prose
Le {event} a accueilli {qty} visiteurs cette année ; les exposants de {place} occupaient {pct} % de la surface.

## benign/email
Nouveaux tarifs au {date} : livraison standard {amount}, express {amount}. Franco de port au-delà de {amount}.

## benign/ticket
{ticket} : remplacer la pièce {sku} sur la ligne 2 ; le fournisseur {company} annonce {qty} jours de délai.
"""
