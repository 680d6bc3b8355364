# ruff: noqa: E501
"""Plantillas en español de la parte de tuning."""

TEMPLATES = """
## hr/email fm
Hola {first}:

Te confirmo la incorporación de {name2} el próximo {weekday}. Su DNI es {dni2} y la nómina se ingresará en {iban2:ES}. Vive en {addr2:ES}.

Un saludo,
{name3}

## hr/form f
FICHA DE EMPLEADA
Apellidos: {last}
Nombre: {first}
Fecha de nacimiento: {dob}
NIE: {nie}
Domicilio: {addr:ES}
Móvil: {phone:ES}

## hr/email f
Baja médica: la Sra. {name}, nacida el {dob}, estará de baja hasta el día {date}. Puede contactarla en el {phone} o en {email}.

## hr/chat x
oye {lfirst}, ¿tienes el correo de {first2}? creo que es {email2}

## hr/note m
{name} deja la empresa el {date}. Para sus proyectos, contactad con {name2} ({email2}, {phone2}).

## support/email m
Buenos días, me llamo {name} y mi pedido {order} no ha llegado a {addr}. Pueden llamarme al {phone}. Gracias.

## support/ticket f
Incidencia {ticket}
La cliente {name} reclama un doble cargo en su tarjeta {card}. Solicita la devolución en su cuenta {iban}. Responder a {email}.

## support/chat x
Agente: ¿Me indica su fecha de nacimiento?
Cliente: {dobnum}
Agente: Gracias. ¿Y la dirección de envío?
Cliente: {addr:ES}

## support/email x
Estimados señores:

Les ruego que den de baja mi suscripción. Mis datos: {name}, {addrml:ES}, teléfono {phone}.

Atentamente,
{name}

## medical/letter f
Estimada colega:

Le remito a la paciente {name}, nacida el {dob} en {city}, para valoración por cardiología. Teléfono de contacto: {phone:ES}.

Un cordial saludo,
Dr. {name3}

## medical/note m
Paciente: {capsname}
F. nac.: {dob}
Contacto: {name2}, {phone2}
Alta a domicilio en {city} el {date}.

## medical/chat f
hola doctora, soy {first}, la madre de {first2}. sigue con fiebre, ¿me puede llamar al {phone}?

## banking/email x
Por favor, realice una transferencia de {amount} a {name}, IBAN {iban}, BIC {bic}. Concepto: alquiler. Dudas: {email}.

## banking/form x
Apertura de cuenta
Titular: {name}
DNI: {dni}
Nacionalidad: {nat}
Domicilio: {addr:ES}

## banking/chat m
hola, soy {name}, el cajero de {city} se ha tragado mi tarjeta {card:mastercard}, ¿podéis bloquearla?

## legal/letter x
En {city2}, a {date}.

REUNIDOS: de una parte, {name}, con NIF {dni}, y domicilio en {addr}; y de otra, {name2}, con NIE {nie2}.

## legal/email fm
Estimado compañero:

Mi clienta, Dña. {name}, nacida el {dob}, reclama a D. {name2} la cantidad de {amount}. D. {last2} puede ser localizado en el {phone2:ES}.

## legal/note x
Poder otorgado por {name}, vecino de {city}, a favor de {name2}, con domicilio en {addr2:ES}.

## chat/chat f
holaa {lfirst}!! soy {lfirst2}, mi nuevo número es el {phone:ES} 😘

## chat/chat x
¿sabes dónde vive ahora {first}? creo que en {addr:ES}

## chat/chat x
{lfirst} tiene número nuevo: {phone}. avísale lo del sábado

## sales/signature f
Saludos cordiales,

{name}
{job}
{company}
Tel.: {phone:ES}
Móvil: {phone2:ES}
{wemail}

## sales/email x
Contacto de {event}: {name}, {job} en {company}, con sede en {city}. Teléfono {phonei}, correo {wemail}. Interesado en {product}.

## it/ticket x
Incidencia {ticket}: el usuario {email} no puede acceder desde {ip}. La cuenta es de {name}; devolver la llamada al {phone}.

## it/email m
¿Puedes dar acceso al repo a {name}? Su GitHub es {url:gh}. El portátil va a {addr}.

## admin/form x
Parte de accidente
Asegurado: {name}
Matrícula: {plate:ES}
Lugar: {place}
Fecha: {date}

## admin/email x
Hola {first}:

Al expediente de {name2} le falta el certificado de empadronamiento ({addr2:ES}) y la copia del NIE ({nie2}).

## hr/email x
Hola {first}, {first2} estará de permiso hasta el {date}. Para urgencias, escribidle a {email2}.

## support/email x
Hola, soy {name}, de {country}. Mi teléfono de allí es {phonei} y aquí en España uso el {phone:ES}.

## admin/note x
Proveedor {company}: NIF-IVA {vat:ES}, IBAN {iban:ES}. Contacto: {name}, {wemail}.

## hr/form x
Trabajador: {name}
DNI: {dni}
NIE del cónyuge ({name2}): {nie2}
Cuenta: {iban:ES}

## banking/email x
Cliente portugués {name}, NIF {vat:PT}, cuenta {iban:PT}; segunda tarjeta {card:discover}.

## support/ticket x
Incidencia {ticket}: reembolso en la tarjeta {card:jcb} de {name}; alternativa {card:diners}.

## legal/note x
Administrador de {company}: {name}, nacido el {dob}, DNI {dni}, con domicilio en {addr:ES}.

## evasion/chat x
mi correo es {email!atdot} gracias

## evasion/form x
DNI: {dni!fw}

## evasion/chat x
tarjeta {card!wrap}, titular {name}

## evasion/email x
escríbanme a {email!pct} o llamen al {phone:ES!spaced}

## evasion/chat x
iban {iban!lower} a nombre de {name!nbsp}

## evasion/form x
Titular: {name!ctrl}, IBAN {iban!zw}

## evasion/chat x
tel {phone!dash} / correo {email!ent}

## evasion/email x
Titular: {name!plus}, tarjeta {card!dots}

## benign/prose
Actualice el sistema de la versión {version} a la {version} y reinicie el servidor; el número de compilación es {num:8}.

## benign/report
Las ventas en {place} alcanzaron {amount} en el tercer trimestre, un {pct} % más; la plantilla es de {qty} personas.

## benign/email
Hola a todos: el pedido {order} ({qty} cajas de {product}) salió del almacén el {date}. La factura {invoice} se enviará aparte.

## benign/prose
{company} presentará el {product} en {event}; stand {room}, apertura a las {time}.

## benign/ticket
Incidencia {ticket}: la exportación nocturna falló a las {time} con código 137. Al subir la memoria a 4096 MB se resolvió.

## benign/prose
El {product} (ref. {sku}, EAN {ean}) vuelve a estar disponible en {place} por {amount} sin IVA.

## benign/report
El plazo de entrega entre {place} y {place} es ahora de 4 días laborables; el {pct} % de los envíos llegó a tiempo en {year}.

## benign/email
Recordatorio: la revisión del presupuesto pasa al {weekday} {date} a las {time}, sala {room}. Traed las cifras del centro de coste {num:6}.

## benign/prose
ISBN {isbn}, 412 páginas, {amount}. La segunda tirada de {qty} ejemplares sale el {date}.

## benign/chat
¿alguien sabe por qué el build {num:8} está en rojo? los tests de la {version} dan timeout

## benign/report
Contrato {order} con {company}: {qty} licencias a {amount} cada una, renovación el {date}, preaviso de 3 meses.

## benign/prose
{event} recibió {qty} visitantes este año; los expositores de {place} ocuparon el {pct} % de la superficie.

## benign/email
Nuevas tarifas desde el {date}: envío estándar {amount}, urgente {amount}. Portes gratis a partir de {amount}.

## benign/ticket
{ticket}: cambiar la pieza {sku} en la línea 2; el proveedor {company} indica {qty} días de plazo.
"""
