# ruff: noqa: E501
"""Modèles français de la partie holdout (écrits à part de ceux du tuning)."""

TEMPLATES = """
## hr/email xm
Salut {first},

Petite mise à jour RH : {name2} rejoint l'équipe {weekday}. Il a changé de banque, son nouveau RIB est {iban2:FR}. Sa nouvelle adresse : {addr2}.

Bonne journée,
{first3}

## hr/form m
DOSSIER DU PERSONNEL
NOM : {LAST}   Prénom : {first}
Né le : {dob}   à : {city}
Nationalité : {nat}
N° INSEE : {nir}
Tél. portable : {phone:FR}

## hr/chat xf
bjr {lfirst} ! tu sais si {first2} a renvoyé son arrêt ? elle m'a donné le {phone2} mais ça sonne dans le vide

## hr/note x
Entretien annuel de {name} avec son manager {name2} : objectifs atteints. Souhaite une mutation à {city} pour rejoindre sa famille.

## hr/letter f
{name}
{addrml}

Objet : attestation employeur

Madame, nous attestons que vous êtes employée par {company} (SIREN {siren}) depuis {year} en qualité de {job}.

## support/chat x
Bot : Quel est votre nom ?
Client : {lname}
Bot : Votre date de naissance ?
Client : {dob}
Bot : Merci {first}, un conseiller va vous rappeler. Votre numéro ?
Client : {phone}

## support/ticket m
Réclamation {ticket}
Client : M. {name}
Adresse de facturation : {addr}
Moyen de paiement : carte {card:visa}
Commentaire : le client sera en déplacement en {country} jusqu'à fin {year}, merci de le contacter par mail ({email}).

## support/email f
Bonjour,

Je suis la fille de Mme {last}, qui ne se sert pas d'internet. Merci d'envoyer le {product} de remplacement chez elle : {addr:FR}. Pour toute question : {name2}, {phone2}.

## support/email x
Bonjour, le livreur a déposé mon colis chez un voisin au {addr} alors que j'étais là. Je m'appelle {name}, commande {order}, joignable au {phone}.

## medical/note ff
Compte rendu : Mme {name}, née le {dob}, hospitalisée pour une fracture du col du fémur. Retour à domicile à {city} prévu. Fille : {name2}, {phone2:FR}.

## medical/letter m
Dr {name3}
{addr3:FR}

Je soussigné certifie avoir examiné M. {name}, né le {dob}, et constaté une incapacité temporaire de travail de 10 jours.

## medical/chat x
salut c {lfirst}, le labo m'a donné mes résultats, je te les transfère sur {email} ce soir

## banking/email x
Deux prélèvements sont revenus impayés : carte {card:maestro} (titulaire {name}) et carte {card:amex} (titulaire {name2}). Merci de prévenir {first} à l'adresse {email}.

## banking/form x
ORDRE DE VIREMENT INTERNATIONAL
Bénéficiaire : {name}
Adresse du bénéficiaire : {addr:CH_FR}
IBAN : {iban:CH}
BIC : {bic:CH}
Donneur d'ordre : {name2}, IBAN {iban2:FR}

## banking/chat f
bonjour, c'est {name}, je voudrais faire opposition sur ma carte {card} et recevoir la nouvelle au {addr:BE}

## legal/letter x
Fait à {city}, le {date}.

Entre les soussignés : {name}, demeurant {addr}, ci-après « le bailleur », et {name2}, né(e) le {dob2}, ci-après « le locataire », il a été convenu ce qui suit.

## legal/email f
Maître,

Mme {name} conteste la mise en demeure. Le gérant de la société {company}, immatriculée sous le numéro {siret} (TVA {vat:FR}), est M. {last2}.

## legal/note x
Assignation délivrée à {name}, domicilié {addr:FR}, à la requête de {name2}, numéro national {benn2}.

## chat/chat m
slt c {lfirst} 😅 tu peux me rappeler au {phone:FR} ? jsuis chez {lfirst2}

## chat/chat f
tu connais {first} ? elle est à {city} maintenant, son insta c'est {handle}

## chat/chat x
on se retrouve chez {first} à 20h ? c'est au {addr:FR}, code 4417B

## chat/chat x
{lfirst} t'as encore le mail de {first2} ? je crois que c'est {email2}

## sales/signature f
Belle journée,

{name}
{job}
{company} - {addr:FR}
Ligne directe : {phone:FR}
{url:li}

## sales/email m
Rencontré {name} au {event} ; il dirige les achats de {company} à {city}. Préfère WhatsApp : {phonei}. Site perso : {url:site}

## it/ticket x
{ticket} Compte bloqué
Demandeur : {name} <{email}>
Dernière connexion : {date} depuis {ip}
Rappel : {phone}

## it/email f
Pouvez-vous autoriser l'IP {ip} pour {name} ? Elle travaille depuis {city} ce mois-ci. Sur Slack c'est {handle}.

## admin/form x
Demande de badge parking
Nom : {capsname}
Véhicule : {plate:FR_OLD}
Adresse : {addr:FR}
Téléphone : {phone:FR}

## admin/email x
Le Pr {last} occupera l'appartement d'accueil à partir du {date} ; les factures sont à envoyer à {email}. Son collègue, le Dr {name2}, de nationalité {nat2}, arrive le lendemain.

## hr/email x
Bonjour {first},
le chanteur {last2} (oui, ce {last2}-là) s'est inscrit à la chorale de l'entreprise avec {first3}.

## support/email x
Pour la livraison en Suisse, appelez {name} au {phone:CH}, ou son associé {name2} au {phone2:BE}.

## admin/email x
Merci de créer le fournisseur {company} (SIREN {siren}, SIRET {siret}, TVA {vat:FR}) ; contact {name} au {phone:FR}.

## hr/note f
Mme {name}, salariée détachée en Suisse : numéro AVS {ahv}, NIR {nir}, salaire versé sur {iban:LU}.

## banking/form x
Titulaire : {name}
N° national belge : {benn}
Compte : {iban:BE}
N° TVA : {vat:BE}

## support/chat x
bonjour, je voudrais enlever ma carte {card:diners} et mettre la {card:jcb} à la place, c'est au nom de {name}

## legal/email x
Le gérant de {company} (SIRET {siret}) est {name}, NIR {nir}, domicilié {addr:FR}.

## evasion/email x
mon numéro de carte : {card!fw}, au nom de {name}

## evasion/chat x
écris-moi à {email!ent} ou au {phone!spaced}

## evasion/form x
Nom : {name!nbspc}
NIR : {nir!dash}
Mail : {email!cyr}

## evasion/chat x
c'est {name!tabs}, carte {card!wrap}

## evasion/email x
Nouvel IBAN : {iban!zw} (titulaire {name!shy})

## evasion/chat x
dispo sur {email!pct} / {phone!dots}

## evasion/form x
Titulaire : {name!ctrl}
Tél. : {phone!fw}
SIREN : {siren!spaced}

## evasion/chat x
mail {email!atdot} ou tél {phone!wrap}

## benign/report
Le conseil a validé le budget {year} : {amount} d'investissements, dont {pct} % pour l'usine de {place}. Retour sur investissement attendu sous {qty} mois.

## benign/email
Bonjour, le webinaire sur la version {version} de l'API aura lieu {weekday} à {time} ; l'enregistrement sera publié sur {weblink}.

## benign/prose
Le magasin de {place} a vendu {qty} {product} pendant la semaine de lancement, {pct} % au-dessus des prévisions.

## benign/ticket
{ticket} : le lot {num:10} a été bloqué au contrôle qualité (erreur d'étiquetage). Nouvelle production prévue le {date}.

## benign/chat
mise en prod de la {version} ok ✅ latence p95 passée de 210 ms à 180 ms

## benign/report
Les coûts de fret depuis {place} ont augmenté de {pct} % en {year} ; le transporteur {company} accepte un plafond de {amount} par conteneur.

## benign/email
Veuillez trouver ci-joint le devis pour {qty} {product} ({sku}). Livraison à notre dépôt de {place} sous 10 jours ouvrés, total {amount}.

## benign/prose
La pièce {num:9} remplace la pièce {num:9} ; les deux conviennent au {product}. Le stock restant sera détruit après le {date}.

## benign/report
Indicateurs entrepôt semaine {qty} : taux de service {pct} %, {qty} palettes reçues de {place}.

## benign/prose
Le {event} revient l'an prochain avec {qty} exposants ; billets à {amount} jusqu'au {date}.

## benign/email
La facture {invoice} est échue depuis 30 jours. Merci de régler {amount} en rappelant la référence {num:11}.

## benign/ticket
Demande de changement {ticket} : passer le cluster de la {version} à la {version}, fenêtre de maintenance {weekday} {time}.

## benign/prose
L'appel d'offres pour l'extension du tramway de {place} se clôt le {date} ; les candidats doivent citer {qty} références.

## benign/chat
pour info la démo du {product} est en salle {room}, le code wifi est au tableau
"""
