# ruff: noqa: E501
"""Deutsche Vorlagen des Tuning-Teils."""

TEMPLATES = """
## hr/email fm
Hallo Frau {last},

hiermit bestätige ich die Einstellung von {name2} zum {date}. Seine Steuer-ID lautet {taxid2}, die Gehaltszahlung erfolgt auf das Konto {iban2:DE}. Er wohnt in der {addr2:DE}.

Mit freundlichen Grüßen
{name3}

## hr/form f
Personalbogen
Nachname: {last}
Vorname: {first}
Geburtsdatum: {dob}
Steuerliche Identifikationsnummer: {taxid}
Anschrift: {addr:DE}
Telefon: {phone:DE}

## hr/email f
Krankmeldung: Frau {name}, geboren am {dob}, ist bis Ende der Woche krankgeschrieben. Bitte rufen Sie sie unter {phone} an oder schreiben Sie an {email}.

## hr/chat xf
hey {lfirst}, hast du die neue Adresse von {first2}? sie ist umgezogen nach {addr2}

## hr/note mf
Herr {name} verlässt uns zum {date}. Ansprechpartnerin für seine Projekte ist {name2} ({email2}, {phone2}).

## support/email m
Sehr geehrte Damen und Herren,

mein Name ist {name}. Meine Bestellung {order} ist nicht angekommen. Lieferadresse: {addr}. Sie erreichen mich unter {phone} oder {email}.

Mit freundlichen Grüßen
{name}

## support/ticket f
Ticket {ticket}
Kundin {name} meldet eine doppelte Abbuchung von ihrer Kreditkarte {card}. Bitte den Betrag auf ihr Konto {iban} erstatten und sie per E-Mail an {email} informieren.

## support/chat x
Agent: Können Sie mir bitte Ihr Geburtsdatum nennen?
Kunde: {dobnum}
Agent: Danke. Und die Lieferadresse?
Kunde: {addr}

## support/email x
Guten Tag,

bitte ändern Sie die Rechnungsanschrift meines Vertrags auf:
{addrml:AT}

Danke und viele Grüße
{name}

## medical/letter f
Sehr geehrte Frau Kollegin,

ich überweise Ihnen Patientin {name}, geb. {dob}, wohnhaft in {city}, zur weiteren Abklärung. Telefonisch erreichbar unter {phone}.

Mit kollegialen Grüßen
Dr. med. {name3}

## medical/note m
Patient: {capsname}
Geb.: {dob}
Krankenkasse: {company}
Angehörige: {name2}, Tel. {phone2}
Entlassung nach Hause in {city} am {date}.

## medical/chat fm
Guten Morgen, hier ist {first}, die Mutter von {first2}. Er hat wieder Fieber. Können Sie mich unter {phone} zurückrufen?

## banking/email x
Bitte überweisen Sie {amount} an {name}, IBAN {iban}, BIC {bic}. Verwendungszweck: Miete. Rückfragen an {email}.

## banking/form f
Kontoeröffnung
Kontoinhaberin: {name}
Geburtsdatum: {dob}
Staatsangehörigkeit: {nat}
Anschrift: {addr:DE}
Steuer-ID: {taxid}

## banking/chat m
Hallo, ich bin {name}. Meine Karte {card:mastercard} wurde am Automaten in {city} eingezogen. Können Sie sie sperren?

## legal/letter xf
In der Mietsache {name} ./. {name2} zeigen wir an, dass wir die Beklagte vertreten. Die Beklagte wohnt in der {addr2:DE}. Zahlungen bitte auf {iban:DE}.

## legal/email fm
Sehr geehrter Herr Kollege,

unsere Mandantin, Frau {name}, geboren am {dob}, macht Ansprüche gegen Herrn {last2} geltend. Herr {last2} ist unter {phone2} erreichbar.

## legal/note x
Vollmacht: {name}, wohnhaft {addr}, bevollmächtigt {name2}, AHV-Nr. {ahv2}, zur Vertretung in allen Angelegenheiten.

## chat/chat m
hey {lfirst}! bin heute bei {lfirst2}, ruf mich unter {phone:DE} an

## chat/chat x
weißt du wo {first} jetzt wohnt? ich glaub {addr:DE}

## chat/chat f
{lfirst} hat ne neue nummer: {phone}. sag ihr bescheid wegen samstag

## sales/signature f
Mit freundlichen Grüßen

{name}
{job}
{company}
Tel.: {phone:DE}
Mobil: {phone2:DE}
E-Mail: {wemail}

## sales/email x
Kontakt (Messe: {event}): {name}, {job} bei {company}, sitzt in {city}. Telefon {phonei}, E-Mail {wemail}. Interessiert an {product}.

## it/ticket x
Störung {ticket}: Benutzer {email} kann sich seit heute von {ip} nicht anmelden. Konto gehört {name}, Rückruf unter {phone}.

## it/email m
Kannst du {name} ins Repo aufnehmen? Sein GitHub: {url:gh}. Der Laptop geht an {addr}.

## admin/form x
Schadensmeldung
Versicherungsnehmer: {name}
Kennzeichen: {plate:DE}
Unfallort: {place}
Datum: {date}

## admin/email x
Hallo {first},

die Unterlagen von {name2} sind unvollständig: es fehlen die Meldebescheinigung ({addr2:CH}) und die AHV-Nummer ({ahv2}).

## hr/email xf
Hallo {first}, {first2} ist bis {date} in Elternzeit. Dringendes bitte an {email2}.

## admin/note x
Lieferant {company}: USt-IdNr. {vat:DE}, IBAN {iban:DE}. Ansprechpartner {name}, {wemail}.

## hr/form x
Grenzgänger: {name}
AHV-Nummer: {ahv}
Steuer-ID: {taxid}
Konto: {iban:CH}

## banking/email x
Kunde {name} aus Österreich, UID {vat:AT}, Konto {iban:AT}; Zweitkarte {card:discover}.

## support/ticket x
Ticket {ticket}: Rückerstattung auf Karte {card:jcb} von {name}, alternativ {iban:LI}.

## legal/note x
Geschäftsführer der {company}: {name}, geb. {dob}, Steuer-ID {taxid}, wohnhaft {addr:DE}.

## evasion/chat x
meine mail ist {email!atdot} danke

## evasion/form x
Steuer-ID: {taxid!fw}

## evasion/chat x
karte {card!wrap}, inhaber {name}

## evasion/email x
schreiben Sie an {email!pct} oder rufen Sie {phone:DE!spaced} an

## evasion/chat x
iban {iban!lower} auf {name!nbsp}

## evasion/form x
Kontoinhaber: {name!ctrl}, IBAN {iban!zw}

## evasion/chat x
tel {phone!dash} / mail {email!ent}

## evasion/email x
Inhaber: {name!plus}, Karte {card!dots}

## benign/prose
Bitte aktualisieren Sie die Software von Version {version} auf {version}; die Build-Nummer lautet {num:8}.

## benign/report
Der Umsatz in {place} stieg im dritten Quartal auf {amount}, ein Plus von {pct} %. Die Belegschaft umfasst {qty} Mitarbeitende.

## benign/email
Hallo zusammen, die Bestellung {order} ({qty} Kartons {product}) hat das Lager am {date} verlassen. Rechnung {invoice} folgt.

## benign/prose
{company} stellt den {product} auf {event} vor; Stand {room}, Öffnung um {time}.

## benign/ticket
Ticket {ticket}: Der nächtliche Export brach um {time} mit Exit-Code 137 ab. Nach Erhöhung des Speichers auf 4096 MB lief er durch.

## benign/prose
Der {product} (Art.-Nr. {sku}, EAN {ean}) ist in {place} wieder lieferbar, Preis {amount} netto.

## benign/report
Die Lieferzeit von {place} nach {place} beträgt jetzt 4 Werktage; {pct} % der Pakete kamen {year} pünktlich an.

## benign/email
Erinnerung: Die Budgetrunde ist auf {weekday}, {date}, {time} Uhr in Raum {room} verschoben. Bitte Zahlen zur Kostenstelle {num:6} mitbringen.

## benign/prose
ISBN {isbn}, 412 Seiten, {amount}. Die zweite Auflage mit {qty} Exemplaren erscheint am {date}.

## benign/chat
weiß jemand warum build {num:8} rot ist? die tests für {version} laufen in ein timeout

## benign/report
Vertrag {order} mit {company}: {qty} Lizenzen zu je {amount}, Verlängerung am {date}, Kündigungsfrist 3 Monate.

## benign/prose
{event} zählte dieses Jahr {qty} Besucher; Aussteller aus {place} belegten {pct} % der Fläche.

## benign/email
Neue Preise ab {date}: Standardversand {amount}, Express {amount}. Versandkostenfrei ab {amount}.

## benign/ticket
{ticket}: Teil {sku} an Linie 2 tauschen; Lieferant {company} nennt {qty} Tage Lieferzeit.
"""
