# ruff: noqa: E501
"""English templates of the holdout part (written apart from the tuning ones)."""

TEMPLATES = """
## hr/email mf
Morning {first2},

Payroll bounced for {name} because he switched banks. New details: {iban}, account holder {plainname}. He also moved - new address is {addr}. Could you update Workday before the {year} cut-off?

Cheers,
{first3}

## hr/letter f
PRIVATE AND CONFIDENTIAL
{name}
{addrml}

Dear {first},

We are pleased to offer you the position of {job}. Please bring your passport and your National Insurance number ({nino}) on your first day.

## hr/chat f
can u resend the offer letter to {first}? she gave me {email} but it bounced. her cell is {phone:US} fwiw

## hr/note fm
Exit interview with {name} (team lead: {name2}). She is relocating to {city} with her family and asked that her P45 be sent to {email}.

## hr/form x
Personnel record
Full legal name: {lastfirst}
DOB (MM/DD/YYYY): {dob}
SSN: {ssn}
Address line 1: {addr:US}
Cell: {phone:US}

## support/chat m
Bot: What's your full name?
User: {lname}
Bot: Which date were you born on?
User: {dob}
Bot: Thanks {first}! What's the best number to reach you?
User: {phone}

## support/ticket x
#{num:6} | Customer reports a billing error.
Name: {name}
E-mail: {email}
Card: {card:jcb} (JCB)
Notes: customer is travelling in {country} until the end of the month; please email rather than call.

## support/email x
To whom it may concern,

I am writing on behalf of my mother, {name}, who cannot use the website. Please send the replacement {product} to her at {addr:GB}. If anything is unclear, ring me ({name2}) on {phone:GB}.

## support/email m
Caller said his name was {name}, asked us to ship the router to {addr:AU} and to text him on {phone:AU} once it leaves the depot.

## support/transcript f
[{time}] {first}: hi, the courier left my parcel with a neighbour at {addr:US}
[{time}] Agent: Sorry about that! Can I have the order number and a phone number?
[{time}] {first}: {order}, and {phonex:US}

## medical/note f
Referral: Ms {name}, DOB {dob}, NHS no. {nhs}. Presenting with recurrent tonsillitis. GP: Dr {last2}. Patient prefers contact by e-mail ({email}) rather than phone.

## medical/letter mf
Dear colleague,

I reviewed Mr {name} (born {dob}) in clinic today. He was admitted via A&E after a fall at home in {city:GB}. His daughter, {name2}, is his next of kin and can be reached on {phone2:GB}.

## medical/chat fm
nurse here - pt {name} in bay 4 says her husband {first2} will collect her. his number is {phone2} and they live at {addr}

## banking/email x
Two payments failed overnight: card ending in the number {card:maestro} (holder {name}) and Amex {card:amex} (holder {name2}). Please email both customers; {first}'s address is {email}.

## banking/form x
WIRE TRANSFER REQUEST
Beneficiary: {name}
Beneficiary address: {addr}
IBAN: {iban}
SWIFT/BIC: {bic}
Ordering customer: {name2}, routing {aba}

## banking/chat f
hi, it's {name} - I need to change the card linked to my account to {card:unionpay}. my old one ended in 4417. also my tax ID is {itin}

## legal/letter x
IN THE MATTER OF the estate of {name}, late of {addr:GB}, deceased.
The executor, {name2}, of {addr2:IE}, has applied for a grant of probate.

## legal/email mf
Counsel,

Attached is the draft deposition of Mr {last}. Note that the witness {name2} gave her driver's license number as {usdl:CA} and her date of birth as {dob2}. Her counsel's e-mail is {email3}.

## legal/note x
Client intake: {name}, Social Security {ssn}, passport {uspp}. Lives at {addr:US}. Referred by {name2} ({phone2}).

## chat/chat x
@channel lunch at {place} tomorrow? {first} and {first2} already said yes

## chat/chat f
{lfirst} where r u?? the taxi is at {addr} and the driver says he'll leave in 5

## chat/chat f
here's {first}'s address for the card: {addr}. her birthday is {dob} so maybe send it a few days before

## chat/chat m
hey {lfirst}, saw your talk on youtube!! is your github still {url:gh}? i wanna follow

## sales/signature x
Kind regards / Mit freundlichen Grüßen

{name}
{job}
{company}
T {phonei}
M {phonei2}
{wemail}

## sales/email m
Met {name} at {event} - he runs procurement at {company} and is based in {city}. He prefers WhatsApp: {phonei}. Personal site: {url:site}

## it/ticket x
{ticket} Account locked
Requester: {name} <{email}>
Last successful login: {date} from {ip}, failed attempts from {ipv}
Callback: {phone}

## it/email f
Please whitelist {ip} for {name}, who is working remotely from {city} this month. She's {handle} on Slack if you need her.

## admin/form f
Parking permit application
Applicant: Mrs {name}
Registration: {plate:GB}
Address: {addr:GB}
Contact: {phone:GB} / {email}

## admin/email f
Please note that Prof. {last} will stay at our guest flat from {date}; invoices for the stay go to {email}. Her colleague Dr {name2}, a {nat2} national, arrives a day later.

## hr/email x
Quick one: the singer {last} (yes, that {last}) signed up for our choir, and so did {first2}. Both live in {city2}.

## support/email x
Please call {first3} at {phone:FR}, or {name2} on {phone2:CH}. They are handling the {product} recall for the {place} region.

## banking/email f
For the French payroll, {name}'s NIR is {nir}; she banks with {iban:FR}. Her Belgian national number is {benn}.

## hr/form x
Relocation checklist - {name}
Spanish NIE: {nie}
Belgian national register no.: {benn2}
German tax ID: {taxid}

## banking/chat x
hi, can you remove my Discover {card:discover} from the account and add the Diners one, {card:diners}? thanks, {first}

## legal/email x
Wire instructions for the settlement: ABA {aba}, beneficiary {name}, SSN on the W-9 is {ssn}. Confirm with {email} before sending.

## admin/email x
The Dutch entity's VAT number is {vat:NL}; remittances to {iban:NL}, attention {name}.

## medical/note x
Triage: {name}, NHS {nhs}, NINO {nino}, brought in by {name2} ({phone2:GB}).

## evasion/email x
my card number is {card!fw} and the name is {name}

## evasion/chat x
ping me on {email!ent} or {phone!spaced}

## evasion/form x
Name: {name!nbspc}
SSN: {ssn!dash}
E-mail: {email!cyr}

## evasion/chat x
its {name!tabs}, card {card:amex!wrap}

## evasion/email x
New IBAN: {iban!zw} (holder {name!shy})

## evasion/chat x
reach me at {email!pct} / {phone!dots}

## evasion/ticket x
Account owner: {name!ctrl}
Phone: {phone!fw}
NI number: {nino!spaced}

## evasion/chat x
write to {email!atdot} or call {phone!wrap}

## benign/report
The Board approved the {year} budget: capital expenditure of {amount}, of which {pct}% for the {place} plant. Payback is expected within {qty} months.

## benign/email
Hi both, the webinar on version {version} of the API is on {weekday} at {time}; the recording will be posted to {weblink}.

## benign/prose
Our {place} store sold {qty} units of the {product} during the launch week, {pct}% above forecast.

## benign/ticket
{ticket}: batch {num:10} failed QA because of a label misprint. Re-run planned for {date}; no customer impact.

## benign/chat
deploy of {version} to prod done ✅ p95 latency went from 210 ms to 180 ms, error rate {pct}%

## benign/report
Freight costs from {place} rose by {pct}% in {year}; the carrier {company} has agreed a cap of {amount} per container.

## benign/email
Please find attached the quote for {qty} x {product} ({sku}). Delivery to our {place} depot within 10 working days, total {amount}.

## benign/prose
Part {num:9} is superseded by part {num:9}; both fit the {product}. Stock of the old part will be scrapped after {date}.

## benign/report
Warehouse KPIs for week {qty}: pick accuracy {pct}%, dock-to-stock 6.2 h, {qty} pallets received from {place}.

## benign/prose
The {event} returns next year with {qty} exhibitors; early-bird tickets cost {amount} until {date}.

## benign/email
Invoice {invoice} is overdue by 30 days. Please arrange payment of {amount} quoting reference {num:11}.

## benign/ticket
Change request {ticket}: bump the Kubernetes node pool from {version} to {version}, maintenance window {weekday} {time}.

## benign/prose
The tender for the {place} tram extension closes on {date}; bidders must quote in euros and list {qty} reference projects.

## benign/chat
fyi the {product} demo unit is in meeting room {room}, password for the wifi is on the whiteboard
"""
