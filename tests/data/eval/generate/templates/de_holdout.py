# ruff: noqa: E501
"""Deutsche Vorlagen des Holdout-Teils (getrennt von denen des Tunings geschrieben)."""

TEMPLATES = """
## hr/email xm
Hallo {first},

kurzes Update aus der Personalabteilung: {name2} fängt am {weekday} bei uns an. Er hat die Bank gewechselt, neue IBAN: {iban2}. Neue Anschrift: {addr2}.

Viele Grüße
{first3}

## hr/form m
PERSONALSTAMMBLATT
Name, Vorname: {lastfirst}
geb. am: {dob} in {city}
Staatsangehörigkeit: {nat}
Steuer-Identifikationsnummer: {taxid}
Mobil: {phone:DE}

## hr/chat xf
moin {lfirst}! weißt du, ob {first2} ihre AU schon geschickt hat? unter {phone2} geht keiner ran

## hr/note x
Jahresgespräch {name} mit Teamleitung {name2}: Ziele erreicht. Wunsch nach Versetzung nach {city}, wo die Familie lebt.

## hr/letter f
{name}
{addrml:DE}

Arbeitsbescheinigung

Sehr geehrte Frau {last}, hiermit bestätigen wir, dass Sie seit {year} als {job} bei {company} beschäftigt sind.

## support/chat x
Bot: Wie lautet Ihr vollständiger Name?
Kunde: {lname}
Bot: Und Ihr Geburtsdatum?
Kunde: {dob}
Bot: Danke, {first}. Unter welcher Nummer erreichen wir Sie?
Kunde: {phone}

## support/ticket m
Reklamation {ticket}
Kunde: Herr {name}
Rechnungsadresse: {addr}
Zahlungsmittel: Karte {card:visa}
Hinweis: Der Kunde ist bis Ende {year} in {country}, bitte per E-Mail ({email}) kontaktieren.

## support/email f
Guten Tag,

ich schreibe für meine Mutter, Frau {last}, die kein Internet nutzt. Bitte senden Sie das Ersatzgerät ({product}) an {addr:AT}. Bei Fragen: {name2}, {phone2:AT}.

## support/email x
Hallo, der Paketbote hat mein Paket beim Nachbarn in der {addr} abgegeben, obwohl ich zu Hause war. {name}, Bestellung {order}, Tel. {phone}.

## medical/note ff
Arztbrief: Patientin {name}, geb. {dob}, stationär wegen Schenkelhalsfraktur. Entlassung nach Hause in {city}. Tochter: {name2}, {phone2:DE}.

## medical/letter m
Dr. med. {name3}
{addr3:DE}

Ärztliche Bescheinigung: Herr {name}, geboren am {dob}, ist vom {date} an für 10 Tage arbeitsunfähig.

## medical/chat x
hi, hier ist {lfirst}, das labor hat mir die befunde geschickt, ich leite sie dir heute abend an {email} weiter

## banking/email xf
Zwei Lastschriften sind zurückgekommen: Karte {card:maestro} (Inhaber {name}) und Karte {card:amex} (Inhaberin {name2}). Bitte {first} unter {email} informieren.

## banking/form x
AUSLANDSÜBERWEISUNG
Empfänger: {name}
Anschrift des Empfängers: {addr:CH}
IBAN: {iban:CH}
BIC: {bic:CH}
Auftraggeber: {name2}, IBAN {iban2:AT}

## banking/chat f
hallo, hier ist {name}, ich möchte meine karte {card} sperren lassen und die neue an {addr:DE} geschickt bekommen

## legal/letter x
{city}, den {date}

Mietvertrag zwischen {name}, wohnhaft {addr}, im Folgenden „Vermieter“, und {name2}, geb. {dob2}, im Folgenden „Mieter“.

## legal/email f
Sehr geehrte Damen und Herren,

Frau {name} widerspricht der Mahnung. Geschäftsführer der {company} (USt-IdNr. {vat:DE}) ist Herr {last2}.

## legal/note xxf
Klage gegen {name}, wohnhaft {addr:DE}, erhoben von {name2}, vertreten durch Rechtsanwältin {name3}.

## chat/chat m
hey {lfirst}! kannst du mich unter {phone:DE} zurückrufen? bin grad bei {lfirst2}

## chat/chat f
kennst du {first}? die wohnt jetzt in {city}, auf insta ist sie {handle}

## chat/chat x
treffen wir uns um 8 bei {first}? {addr:DE}, 3. Stock

## chat/chat x
{lfirst} hast du noch die mail von {first2}? ich glaub {email2}

## sales/signature f
Beste Grüße

{name}
{job}
{company} | {addr:DE}
Durchwahl: {phone:DE}
{url:li}

## sales/email m
Auf {event} {name} getroffen; er leitet den Einkauf bei {company} in {city}. Am liebsten per WhatsApp: {phonei}. Website: {url:site}

## it/ticket x
{ticket} Konto gesperrt
Anfragende Person: {name} <{email}>
Letzte Anmeldung: {date} von {ip}
Rückruf: {phone}

## it/email f
Bitte die IP {ip} für {name} freischalten, sie arbeitet diesen Monat aus {city}. Im Chat ist sie {handle}.

## admin/form x
Antrag Parkausweis
Name: {capsname}
Kennzeichen: {plate:DE}
Anschrift: {addr:DE}
Telefon: {phone:DE}

## admin/email fm
Prof. {last} bezieht ab dem {date} das Gästeapartment; Rechnungen bitte an {email}. Ihr Kollege Dr. {name2} (Staatsangehörigkeit: {nat2}) kommt einen Tag später.

## hr/email x
Mit freundlichen Grüßen
{name}

PS: {first2} aus der Buchhaltung hat ihre Nummer geändert: {phone2:DE}

## support/email mf
Für die Lieferung nach Frankreich bitte {name} unter {phone:FR} anrufen oder seine Kollegin {name2} unter {phone2:CH}.

## admin/email x
Bitte Kreditor {company} anlegen (USt-IdNr. {vat:DE}, IBAN {iban:DE}); Kontakt {name}, {phone:DE}.

## hr/note f
Frau {name}, entsandt in die Schweiz: AHV {ahv}, Steuer-ID {taxid}, Gehalt auf {iban:AT}.

## banking/form x
Kontoinhaber: {name}
Steuer-ID: {taxid}
IBAN: {iban:DE}
Zweite Karte: {card:diners}

## support/chat x
hallo, ich möchte meine karte {card:discover} löschen und die {card:jcb} hinterlegen, läuft auf {name}

## legal/email x
Die Vorständin der {company} (UID {vat:AT}) ist {name}, Steuer-ID {taxid}, wohnhaft {addr:AT}.

## evasion/email x
meine kartennummer: {card!fw}, Name {name}

## evasion/chat x
schreib mir an {email!ent} oder ruf an: {phone!spaced}

## evasion/form x
Name: {name!nbspc}
Steuer-ID: {taxid!dash}
E-Mail: {email!cyr}

## evasion/chat x
ich bin {name!tabs}, karte {card!wrap}

## evasion/email x
Neue IBAN: {iban!zw} (Inhaber {name!shy})

## evasion/chat x
erreichbar unter {email!pct} / {phone!dots}

## evasion/form x
Kontoinhaber: {name!ctrl}
Tel.: {phone!fw}
AHV: {ahv!spaced}

## evasion/chat x
mail {email!atdot} oder tel {phone!wrap}

## benign/report
Der Aufsichtsrat hat das Budget {year} genehmigt: Investitionen von {amount}, davon {pct} % für das Werk in {place}.

## benign/email
Hallo, das Webinar zu Version {version} der API findet am {weekday} um {time} statt; die Aufzeichnung kommt auf {weblink}.

## benign/prose
Die Filiale in {place} verkaufte in der Startwoche {qty} Stück {product}, {pct} % über Plan.

## benign/ticket
{ticket}: Charge {num:10} wurde in der Qualitätskontrolle gesperrt (Etikettenfehler). Neuproduktion am {date}.

## benign/chat
deployment von {version} in prod erledigt ✅ p95 von 210 ms auf 180 ms runter

## benign/report
Die Frachtkosten ab {place} stiegen {year} um {pct} %; der Spediteur {company} sagt eine Obergrenze von {amount} je Container zu.

## benign/email
Anbei das Angebot über {qty} x {product} ({sku}). Lieferung an unser Lager in {place} binnen 10 Werktagen, Gesamtpreis {amount}.

## benign/prose
Teil {num:9} ersetzt Teil {num:9}; beide passen zum {product}. Restbestände werden nach dem {date} verschrottet.

## benign/report
Lager-KPIs KW {qty}: Kommissioniergenauigkeit {pct} %, {qty} Paletten aus {place} eingegangen.

## benign/prose
{event} kommt nächstes Jahr mit {qty} Ausstellern wieder; Frühbuchertickets kosten {amount} bis zum {date}.

## benign/email
Rechnung {invoice} ist seit 30 Tagen fällig. Bitte überweisen Sie {amount} unter Angabe der Referenz {num:11}.

## benign/ticket
Change {ticket}: Cluster von {version} auf {version} heben, Wartungsfenster {weekday} {time}.

## benign/prose
Die Ausschreibung für die Straßenbahnverlängerung in {place} endet am {date}; Bieter müssen {qty} Referenzprojekte nennen.

## benign/chat
fyi das demogerät {product} steht in raum {room}, wlan-passwort hängt am whiteboard
"""
