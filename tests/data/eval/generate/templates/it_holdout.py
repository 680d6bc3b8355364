# ruff: noqa: E501
"""Modelli italiani della parte holdout (scritti a parte rispetto a quelli di tuning)."""

TEMPLATES = """
## hr/email xm
Buongiorno {first},

aggiornamento dall'ufficio personale: {name2} inizia {weekday}. Ha cambiato banca, il nuovo IBAN è {iban2}. Nuovo indirizzo: {addr2}.

Un saluto,
{first3}

## hr/form m
ANAGRAFICA DIPENDENTE
Cognome e nome: {lastfirst}
Nato il {dob} a {city}
Cittadinanza: {nat}
C.F.: {cf}
Telefono: {phone:IT}

## hr/chat xf
ehi {lfirst}! sai se {first2} ha mandato il certificato medico? la chiamo al {phone2} ma non risponde

## hr/note x
Colloquio annuale di {name} con il responsabile {name2}: obiettivi raggiunti. Chiede il trasferimento a {city} per stare vicino alla famiglia.

## hr/letter f
{name}
{addrml:IT}

Dichiarazione del datore di lavoro

Si attesta che la sig.ra {last} lavora presso {company} dal {year} come {job}.

## support/chat x
Bot: Qual è il suo nome completo?
Cliente: {lname}
Bot: E la data di nascita?
Cliente: {dob}
Bot: Grazie, {first}. A che numero la richiamiamo?
Cliente: {phone}

## support/ticket m
Reclamo {ticket}
Cliente: sig. {name}
Indirizzo di fatturazione: {addr}
Pagamento: carta {card:visa}
Nota: il cliente resta in {country} fino a fine {year}; contattarlo via mail ({email}).

## support/email f
Buongiorno,

scrivo per conto di mia madre, la sig.ra {last}, che non usa internet. Spedite il {product} sostitutivo a {addr:IT}. Per dubbi: {name2}, {phone2:IT}.

## support/email x
Salve, il corriere ha lasciato il pacco a un vicino in {addr} anche se ero in casa. Sono {name}, ordine {order}, tel. {phone}.

## medical/note ff
Lettera di dimissione: paziente {name}, nata il {dob}, ricoverata per frattura del femore. Dimessa a domicilio a {city}. Figlia: {name2}, {phone2:IT}.

## medical/letter m
Dott. {name3}
{addr3:IT}

Certifico che il sig. {name}, nato il {dob}, è inabile al lavoro per 10 giorni a partire dal {date}.

## medical/chat x
ciao, sono {lfirst}, il laboratorio mi ha mandato i referti, te li inoltro stasera a {email}

## banking/email xf
Due addebiti sono stati respinti: carta {card:maestro} (titolare {name}) e carta {card:amex} (titolare {name2}). Avvisate {first} a {email}.

## banking/form x
BONIFICO ESTERO
Beneficiario: {name}
Indirizzo del beneficiario: {addr:CH}
IBAN: {iban:CH}
BIC: {bic:CH}
Ordinante: {name2}, IBAN {iban2:IT}

## banking/chat f
salve, sono {name}, vorrei bloccare la carta {card} e ricevere la nuova in {addr:IT}

## legal/letter xm
{city}, {date}

Contratto di locazione tra {name}, residente in {addr}, di seguito «locatore», e {name2}, nato il {dob2}, di seguito «conduttore».

## legal/email fm
Spettabile studio,

la sig.ra {name} si oppone al sollecito di pagamento. L'amministratore di {company} (partita IVA {vat:IT}) è il sig. {last2}.

## legal/note xm
Ricorso contro {name}, residente in {addr:IT}, proposto da {name2}, rappresentato dall'avv. {name3}.

## chat/chat m
ehi {lfirst}! mi richiami al {phone:IT}? sono da {lfirst2}

## chat/chat f
conosci {first}? adesso vive a {city}, su insta è {handle}

## chat/chat x
ci vediamo alle 9 da {first}? è in {addr:IT}, terzo piano

## chat/chat x
{lfirst} hai ancora la mail di {first2}? mi pare fosse {email2}

## sales/signature f
Un cordiale saluto,

{name}
{job}
{company} | {addr:IT}
Diretto: {phone:IT}
{url:li}

## sales/email m
A {event} ho conosciuto {name}; dirige gli acquisti di {company} a {city}. Preferisce WhatsApp: {phonei}. Sito: {url:site}

## it/ticket x
{ticket} Account bloccato
Richiedente: {name} <{email}>
Ultimo accesso: {date} da {ip}
Richiamare: {phone}

## it/email f
Per favore abilitate l'IP {ip} per {name}, che questo mese lavora da {city}. In chat è {handle}.

## admin/form x
Richiesta permesso di sosta
Nome: {capsname}
Targa: {plate:IT}
Indirizzo: {addr:IT}
Telefono: {phone:IT}

## admin/email fm
La prof.ssa {last} occuperà la foresteria dal {date}; le fatture vanno a {email}. Il collega, dott. {name2}, di cittadinanza {nat2}, arriva il giorno dopo.

## hr/email x
Distinti saluti,
{name}

P.S.: {first2} dell'amministrazione ha un nuovo cellulare: {phone2:IT}

## support/email mf
Per la consegna in Spagna chiamate {name} al {phone:ES} oppure la collega {name2} al {phone2:CH}.

## admin/email x
Censite il fornitore {company} (P. IVA {vat:IT}, IBAN {iban:IT}); contatto {name}, {phone:IT}.

## hr/note f
La sig.ra {name}, distaccata in Svizzera: C.F. {cf}, numero AVS {ahv}, stipendio su {iban:CH}.

## banking/form x
Intestatario: {name}
Codice fiscale: {cf}
IBAN: {iban:IT}
Seconda carta: {card:diners}

## support/chat x
salve, vorrei togliere la carta {card:discover} e mettere la {card:jcb}, è intestata a {name}

## legal/email x
L'amministratrice di {company} (partita IVA {vat:IT}) è {name}, C.F. {cf}, residente in {addr:IT}.

## evasion/email x
il numero della carta: {card!fw}, intestata a {name}

## evasion/chat x
scrivimi a {email!ent} o chiamami: {phone!spaced}

## evasion/form x
Nome: {name!nbspc}
C.F.: {cf!spaced}
Mail: {email!cyr}

## evasion/chat x
sono {name!tabs}, carta {card!wrap}

## evasion/email x
Nuovo IBAN: {iban!zw} (intestatario {name!shy})

## evasion/chat x
mi trovi su {email!pct} / {phone!dots}

## evasion/form x
Intestatario: {name!ctrl}
Tel.: {phone!fw}
Carta: {card!dash}

## evasion/chat x
mail {email!atdot} o tel {phone!wrap}

## benign/report
Il consiglio ha approvato il budget {year}: investimenti per {amount}, il {pct} % per lo stabilimento di {place}.

## benign/email
Ciao, il webinar sulla versione {version} dell'API è {weekday} alle {time}; la registrazione sarà su {weblink}.

## benign/prose
Il negozio di {place} ha venduto {qty} pezzi del {product} nella settimana di lancio, il {pct} % sopra le previsioni.

## benign/ticket
{ticket}: il lotto {num:10} è stato bloccato dal controllo qualità per un errore di etichetta. Nuova produzione il {date}.

## benign/chat
rilascio della {version} in produzione fatto ✅ p95 sceso da 210 ms a 180 ms

## benign/report
I costi di trasporto da {place} sono saliti del {pct} % nel {year}; lo spedizioniere {company} accetta un tetto di {amount} a container.

## benign/email
In allegato il preventivo per {qty} x {product} ({sku}). Consegna al nostro magazzino di {place} entro 10 giorni lavorativi, totale {amount}.

## benign/prose
Il pezzo {num:9} sostituisce il {num:9}; entrambi vanno bene per il {product}. Le scorte residue saranno smaltite dopo il {date}.

## benign/report
KPI di magazzino, settimana {qty}: accuratezza di prelievo {pct} %, {qty} pallet ricevuti da {place}.

## benign/prose
{event} torna l'anno prossimo con {qty} espositori; biglietti early bird a {amount} fino al {date}.

## benign/email
La fattura {invoice} è scaduta da 30 giorni. Vi preghiamo di saldare {amount} indicando il riferimento {num:11}.

## benign/ticket
Change {ticket}: aggiornare il cluster dalla {version} alla {version}, finestra di manutenzione {weekday} {time}.

## benign/prose
La gara per il prolungamento del tram di {place} chiude il {date}; i concorrenti devono indicare {qty} referenze.

## benign/chat
per info il {product} demo è in sala {room}, la password del wifi è sulla lavagna
"""
