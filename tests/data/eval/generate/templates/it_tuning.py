# ruff: noqa: E501
"""Modelli italiani della parte di tuning."""

TEMPLATES = """
## hr/email fm
Ciao {first},

ti confermo l'assunzione di {name2} a partire da {weekday}. Il suo codice fiscale è {cf2} e lo stipendio va accreditato su {iban2:IT}. Abita in {addr2:IT}.

Cordiali saluti,
{name3}

## hr/form f
SCHEDA DIPENDENTE
Cognome: {last}
Nome: {first}
Data di nascita: {dob}
Codice fiscale: {cf}
Residenza: {addr:IT}
Cellulare: {phone:IT}

## hr/email f
Malattia: la sig.ra {name}, nata il {dob}, resterà a casa fino al {date}. Si può contattare al {phone} o a {email}.

## hr/chat x
ciao {lfirst}, hai la mail di {first2}? mi sa che è {email2}

## hr/note m
{name} lascia l'azienda il {date}. Per i suoi progetti rivolgersi a {name2} ({email2}, {phone2}).

## support/email m
Buongiorno, mi chiamo {name} e il mio ordine {order} non è mai arrivato in {addr}. Potete richiamarmi al {phone}. Grazie.

## support/ticket f
Ticket {ticket}
La cliente {name} segnala un doppio addebito sulla carta {card}. Chiede il rimborso sul conto {iban}. Rispondere a {email}.

## support/chat x
Operatore: Mi dice la sua data di nascita?
Cliente: {dobnum}
Operatore: Grazie. E l'indirizzo di consegna?
Cliente: {addr:IT}

## support/email x
Spettabile società,

vi chiedo di disdire il mio abbonamento. I miei dati: {name}, {addrml:IT}, tel. {phone}.

Distinti saluti,
{name}

## medical/letter f
Gentile collega,

le invio la paziente {name}, nata il {dob} a {city}, per una visita cardiologica. Recapito telefonico: {phone:IT}.

Cordialmente,
Dott. {name3}

## medical/note m
Paziente: {capsname}
Nato il: {dob}
Codice fiscale: {cf}
Referente: {name2}, {phone2}
Dimissione a domicilio a {city} il {date}.

## medical/chat f
buongiorno dottoressa, sono {first}, la mamma di {first2}. ha ancora la febbre, mi può richiamare al {phone}?

## banking/email x
Si prega di effettuare un bonifico di {amount} a favore di {name}, IBAN {iban}, BIC {bic}. Causale: affitto. Per domande: {email}.

## banking/form x
Apertura conto
Intestatario: {name}
Codice fiscale: {cf}
Cittadinanza: {nat}
Indirizzo: {addr:IT}

## banking/chat m
salve, sono {name}, il bancomat di {city} mi ha trattenuto la carta {card:mastercard}, potete bloccarla?

## legal/letter x
{city2}, {date}

Egregio avvocato, con la presente la informo che il sig. {name}, residente in {addr}, contesta il decreto ingiuntivo notificato da {name2}.

## legal/email fm
Gentile collega,

la mia assistita, sig.ra {name}, nata il {dob}, chiede al sig. {name2} la somma di {amount}. Il sig. {last2} è raggiungibile al {phone2:IT}.

## legal/note x
Procura rilasciata da {name}, residente a {city}, in favore di {name2}, domiciliato in {addr2:IT}.

## chat/chat f
ciaoo {lfirst}!! sono {lfirst2}, il mio nuovo numero è {phone:IT} 😘

## chat/chat x
sai dove abita adesso {first}? mi pare in {addr:IT}

## chat/chat f
{lfirst} ha cambiato numero: {phone}. avvisala per sabato

## sales/signature f
Cordiali saluti,

{name}
{job}
{company}
Tel.: {phone:IT}
Cell.: {phone2:IT}
{wemail}

## sales/email x
Contatto da {event}: {name}, {job} presso {company}, con sede a {city}. Telefono {phonei}, mail {wemail}. Interessato a {product}.

## it/ticket x
Ticket {ticket}: l'utente {email} non riesce ad accedere da {ip}. L'account è di {name}; richiamare al {phone}.

## it/email m
Puoi dare accesso al repo a {name}? Il suo GitHub è {url:gh}. Il portatile va spedito a {addr}.

## admin/form x
Denuncia di sinistro
Assicurato: {name}
Targa: {plate:IT}
Luogo: {place}
Data: {date}

## admin/email x
Ciao {first},

nella pratica di {name2} manca il certificato di residenza ({addr2:IT}) e la copia del codice fiscale ({cf2}).

## hr/email xf
Ciao {first}, {first2} sarà in congedo fino al {date}. Per urgenze scrivetele a {email2}.

## support/email x
Buongiorno, sono {name}, vivo in {country}. Il mio numero là è {phonei}, in Italia uso il {phone:IT}.

## admin/note x
Fornitore {company}: partita IVA {vat:IT}, IBAN {iban:IT}. Referente {name}, {wemail}.

## hr/form x
Dipendente: {name}
Codice fiscale: {cf}
IBAN: {iban:SM}
Telefono: {phone:IT}

## banking/email x
Cliente austriaco {name}, UID {vat:AT}, conto {iban:AT}; seconda carta {card:discover}.

## support/ticket x
Ticket {ticket}: rimborso sulla carta {card:jcb} di {name}; in alternativa {card:diners}.

## legal/note x
Amministratore di {company}: {name}, nato il {dob}, C.F. {cf}, residente in {addr:IT}.

## evasion/chat x
la mia mail è {email!atdot} grazie

## evasion/form x
Codice fiscale: {cf!fw}

## evasion/chat x
carta {card!wrap}, intestatario {name}

## evasion/email x
scrivetemi a {email!pct} o chiamate il {phone:IT!spaced}

## evasion/chat x
iban {iban!lower} intestato a {name!nbsp}

## evasion/form x
Intestatario: {name!ctrl}, IBAN {iban!zw}

## evasion/chat x
tel {phone!dash} / mail {email!ent}

## evasion/email x
Titolare: {name!plus}, carta {card!dots}

## benign/prose
Aggiornate il software dalla versione {version} alla {version} e riavviate il server; il numero di build è {num:8}.

## benign/report
Il fatturato in {place} ha raggiunto {amount} nel terzo trimestre, +{pct} %; l'organico conta {qty} persone.

## benign/email
Ciao a tutti, l'ordine {order} ({qty} colli di {product}) è partito dal magazzino il {date}. La fattura {invoice} seguirà.

## benign/prose
{company} presenterà il {product} a {event}; stand {room}, apertura alle {time}.

## benign/ticket
Ticket {ticket}: l'export notturno è fallito alle {time} con codice 137. Aumentando la memoria a 4096 MB si è risolto.

## benign/prose
Il {product} (cod. {sku}, EAN {ean}) è di nuovo disponibile a {place} a {amount} IVA esclusa.

## benign/report
I tempi di consegna tra {place} e {place} sono ora di 4 giorni lavorativi; il {pct} % dei colli è arrivato puntuale nel {year}.

## benign/email
Promemoria: la revisione del budget è spostata a {weekday} {date} alle {time}, sala {room}. Portate i dati del centro di costo {num:6}.

## benign/prose
ISBN {isbn}, 412 pagine, {amount}. La seconda tiratura di {qty} copie esce il {date}.

## benign/chat
qualcuno sa perché la build {num:8} è rossa? i test della {version} vanno in timeout

## benign/report
Contratto {order} con {company}: {qty} licenze a {amount} l'una, rinnovo il {date}, preavviso di 3 mesi.

## benign/prose
{event} ha registrato {qty} visitatori quest'anno; gli espositori di {place} occupavano il {pct} % della superficie.

## benign/email
Nuove tariffe dal {date}: spedizione standard {amount}, express {amount}. Spedizione gratuita sopra {amount}.

## benign/ticket
{ticket}: sostituire il pezzo {sku} sulla linea 2; il fornitore {company} indica {qty} giorni di consegna.
"""
