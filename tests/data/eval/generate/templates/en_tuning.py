# ruff: noqa: E501
"""English templates of the tuning part."""

TEMPLATES = """
## hr/email fm
Hi {first},

Following today's call, I confirm that {name2} starts with us on {weekday} as {job}. His personal e-mail is {email2} and his mobile {phone2}. Please post the contract to his home address:
{addrml2}

Salary goes to {iban2}.

Thanks,
{first3}

## hr/form f
EMPLOYEE ONBOARDING FORM
Surname: {LAST}
First name(s): {first}
Date of birth: {dob}
National Insurance number: {nino}
Home address: {addr:GB}
Mobile: {phone:GB}
Emergency contact: {name2} ({phone2:GB})

## hr/email mxf
Subject: sick leave

{name}, date of birth {dob}, has been signed off by his GP until the end of the month. His line manager, {name2}, asked payroll to keep paying full salary. His wife {first3} can be reached on {phone} if needed.

## hr/note x
Reference request for {name}: worked as {job} at {company} from {year} and reported to {name2}. Please send the reference to {wemail2} before {weekday}.

## hr/chat ff
hey {lfirst2}, quick q - do we still have {first}'s bank details on file? she says the new account is {iban} and her address changed to {addr}

## support/ticket f
Ticket {ticket} - priority: high
Customer: {name}
Account e-mail: {email}
Phone: {phonex:US}
Issue: charged twice for order {order}. Card on file {card}. Customer asks for a refund to the original card and a call-back after {time}.

## support/email m
Hello,

My name is {name} and I ordered a {product} three weeks ago (order {order}). It still hasn't arrived at {addr}. You can reach me at {phone} or {email}.

Regards,
{name}

## support/chat x
Agent: Thanks for waiting! Can I have the name on the account?
Customer: {name}
Agent: And your date of birth, please?
Customer: {dobnum}
Agent: Great, and the postcode or ZIP of the billing address?
Customer: it's {addr}

## support/transcript mf
Call summary ({date}): {name} called about his broadband. Engineer visit booked at {addr:GB}. He asked us to text {name2}, his partner, on {phone:GB} when the engineer is on the way.

## medical/letter f
Dear Dr {last2},

Thank you for seeing Ms {name}, DOB {dob}, NHS number {nhs}, who presents with recurrent migraines. She lives alone at {addr:GB} and prefers to be contacted on {phone:GB}.

Yours sincerely,
Dr {name3}

## medical/note m
Patient: {capsname}
Born: {dob}
Insurance member: {company}
Emergency contact: {name2}, {phone}
Allergies: penicillin. Discharged home to {city} on {date}.

## banking/email x
Please set up a transfer of {amount} to {name}, IBAN {iban}, BIC {bic}. Reference: invoice {invoice}. Any questions, contact me at {email2} - {name2}

## banking/form x
Direct deposit authorization
Employee name: {name}
Bank routing number (ABA): {aba}
Social Security Number: {ssn}
Mailing address: {addr:US}
Signature: ______  Date: {date}

## banking/chat f
Hi, I'm {name}. My Visa {card:visa} was declined at a shop in {city} this morning but I haven't lost it. Can you check? My online banking login is {email}.

## legal/letter fm
WITHOUT PREJUDICE

Our client, Ms {name}, of {addr}, instructs us that your client, Mr {name2}, has failed to repay the loan of {amount}. Payment should be made within 14 days to {iban}.

## legal/form x
AFFIDAVIT OF IDENTITY
I, {name}, born on {dob} in {city}, holder of US passport no. {uspp}, residing at {addr:US}, declare that the statements below are true.

## legal/email m
{first}, the court filing needs the full details of the second defendant: {name2}, ITIN {itin}, driver's license {usdl} (issued in {city2:US}). Can you confirm with the client by {weekday}?

## chat/chat f
hey {lfirst}! it's {lfirst2} 😊 my new number is {phone}, text me when ur back in {city2}

## chat/chat f
omg just bumped into {first} at the station, she's moving to {country} next month. do you still have her email? i think it was {email}

## sales/signature f
Thanks again for your time on {weekday}.

Best regards,
{name}
{job} | {company}
Mobile: {phonei}
E-mail: {wemail}
LinkedIn: {url:li}

## sales/email x
Lead from {event}: {name} ({job}, {company}), based in {city}. Phone {phonei}, e-mail {wemail}. Interested in 40 seats of {product}.

## it/ticket x
Incident {ticket}: suspicious login for user {email} from {ip} at {time}. The account belongs to {name} ({job}); please reset the password and call them on {phone}.

## it/email m
Can you add {name} to the repo? His GitHub is {url:gh} and he goes by {handle} on the chat. Laptop shipping to {addr}.

## admin/form x
VISITOR REGISTRATION
Name: {name}
Nationality: {nat}
Passport / ID: {uspp}
Host: {name2}
Vehicle registration: {plate:GB}

## admin/email mf
Hello {first},

The keys for the flat were handed to {name2} on {date}. Please forward the deposit of {amount} to her account {iban:GB} and send the inventory to {email2}.

Kind regards,
{ilast}

## hr/email x
Hi team, {firstl} from the Berlin office will cover {first2}'s accounts while {first2} is on parental leave. For urgent matters call {first2} directly at {phone2:FR}.

## support/email x
Dear {company} team,

Please update the delivery address for my subscription to:
{addrml:CA}
Thank you,
{name}
{phone:CA}

## medical/email xf
Hi, this is {first} from the clinic. {name2}'s test results are ready; the Medicare number on file is missing, can you ask her to call {phone:AU}? Her address is {addr:AU}.

## banking/form x
SUPPLIER BANK DETAILS
Account name: {name}
IBAN: {iban:PL}
BIC: {bic:PL}
Supplier VAT: {vat:IE}

## hr/email f
New Swiss hire: {name}, AHV number {ahv}, salary to {iban:CH}. Her French social security number is {nir} from her previous job.

## support/ticket x
{ticket} refund request: primary card {card:discover}, backup card {card:diners}. Cardholder {name}, billing ZIP in {city:US}.

## legal/form x
Taxpayer: {name}  SSN: {ssn}
Spouse: {name2}  ITIN: {itin2}
Bank routing no. {aba}

## admin/note x
Supplier onboarding: {company}, SIREN {siren}, SIRET {siret}, VAT {vat:FR}. Account manager {name}, {wemail}.

## medical/form x
Patient {name}
NHS number: {nhs}
NI number: {nino}
Next of kin: {name2}

## evasion/chat x
my card is {card!wrap} exp 09/28, name on card {name}

## evasion/email x
please reply to {email!pct} and not to my work address

## evasion/form x
SSN: {ssn!spaced}
Phone: {phone:US!spaced}

## evasion/chat x
Send the invoice to {name!nbsp} ({email!ent}) thanks

## evasion/email x
Account holder {name!zw}, IBAN {iban!fw}

## evasion/chat x
text me on {phone!fw} or write to {email!atdot}

## evasion/ticket x
Customer {name!ctrl} asked us to refund card {card!dots}

## evasion/chat x
wire to {iban!lower} - beneficiary {name!plus}

## benign/prose
Please upgrade the package from version {version} to {version} and rerun the pipeline; the changelog mentions a fix for issue {num:5}.

## benign/report
Q3 revenue in {place} reached {amount}, up {pct}% on last year, while {place} was flat. Headcount stands at {qty}.

## benign/email
Hi all, order {order} ({qty} units of the {product}) left the warehouse on {date}; tracking number {num:12}. The invoice {invoice} follows separately.

## benign/prose
{company} will present the new {product} at {event}; the stand number is {room} and the booth opens at {time}.

## benign/ticket
Ticket {ticket}: the nightly export job failed at {time} with exit code 137 (out of memory). Raising the memory limit to 4096 MB fixed it. See {weblink}.

## benign/prose
The {product} (SKU {sku}, EAN {ean}) is back in stock in {place}; price {amount} excluding VAT.

## benign/report
Shipping from {place} to {place} now takes 4 working days; {pct}% of parcels arrived on time in {year}.

## benign/email
Reminder: the budget review moves to {weekday} {date} at {time} in room {room}. Please bring the figures for cost centre {num:6}.

## benign/prose
ISBN {isbn}, 412 pages, published by {company} in {year}. The second print run of {qty} copies is planned for {date}.

## benign/chat
can someone check why build {num:8} is red? looks like the tests for v{version} time out after 300s

## benign/report
Contract {order} with {company}: {qty} licences at {amount} each, renewal on {date}, notice period 90 days.

## benign/prose
The {event} attracted {qty} visitors this year; exhibitors from {place} and {place} took {pct}% of the floor space.

## benign/email
The new rate card applies from {date}: standard delivery {amount}, express {amount}, pallet {amount}. Orders above {amount} ship free.

## benign/ticket
{ticket}: replace part {sku} on line 3; the supplier {company} quoted {amount} and a lead time of {qty} days.
"""
