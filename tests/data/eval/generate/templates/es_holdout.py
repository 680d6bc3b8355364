# ruff: noqa: E501
"""Plantillas en español de la parte holdout (escritas aparte de las de tuning)."""

TEMPLATES = """
## hr/email xm
Buenas, {first}:

Novedades de RR. HH.: {name2} empieza el {weekday}. Ha cambiado de banco y su nueva cuenta es {iban2}. Nueva dirección: {addr2}.

Saludos,
{first3}

## hr/form m
DATOS DEL TRABAJADOR
Apellidos y nombre: {lastfirst}
Nacido el {dob} en {city}
Nacionalidad: {nat}
DNI/NIF: {dni}
Teléfono: {phone:ES}

## hr/chat xf
buenas {lfirst}! ¿sabes si {first2} mandó el parte de baja? la llamo al {phone2} y no contesta

## hr/note x
Evaluación anual de {name} con su responsable {name2}: objetivos cumplidos. Pide traslado a {city} para estar cerca de su familia.

## hr/letter f
{name}
{addrml:ES}

Certificado de empresa

Por la presente certificamos que Dña. {last} trabaja en {company} desde {year} como {job}.

## support/chat x
Bot: ¿Cuál es su nombre completo?
Cliente: {lname}
Bot: ¿Y su fecha de nacimiento?
Cliente: {dob}
Bot: Gracias, {first}. ¿En qué número le llamamos?
Cliente: {phone}

## support/ticket m
Reclamación {ticket}
Cliente: Sr. {name}
Dirección de facturación: {addr}
Pago: tarjeta {card:visa}
Nota: el cliente está en {country} hasta finales de {year}; contactar por correo ({email}).

## support/email f
Buenos días:

Escribo en nombre de mi madre, la Sra. {last}, que no usa internet. Envíen el {product} de sustitución a {addr:ES}. Para cualquier duda: {name2}, {phone2:ES}.

## support/email x
Hola, el repartidor dejó mi paquete a un vecino en {addr} aunque yo estaba en casa. Soy {name}, pedido {order}, tel. {phone}.

## medical/note ff
Informe de alta: paciente {name}, nacida el {dob}, ingresada por fractura de cadera. Alta a domicilio en {city}. Hija: {name2}, {phone2:ES}.

## medical/letter m
Dr. {name3}
{addr3:ES}

Certifico que D. {name}, nacido el {dob}, no puede trabajar durante 10 días a partir del {date}.

## medical/chat x
hola, soy {lfirst}, el laboratorio ya me dio los resultados, te los reenvío esta noche a {email}

## banking/email xf
Dos recibos han sido devueltos: tarjeta {card:maestro} (titular {name}) y tarjeta {card:amex} (titular {name2}). Avisad a {first} en {email}.

## banking/form x
TRANSFERENCIA INTERNACIONAL
Beneficiario: {name}
Dirección del beneficiario: {addr:PT}
IBAN: {iban:PT}
BIC: {bic:PT}
Ordenante: {name2}, IBAN {iban2:ES}

## banking/chat f
hola, soy {name}, quiero bloquear mi tarjeta {card} y que me manden la nueva a {addr:ES}

## legal/letter xm
En {city}, a {date}.

Contrato de arrendamiento entre {name}, con domicilio en {addr}, en adelante «el arrendador», y {name2}, nacido el {dob2}, en adelante «el arrendatario».

## legal/email fm
Estimados señores:

La Sra. {name} se opone al requerimiento de pago. El administrador de {company} (NIF intracomunitario {vat:ES}) es el Sr. {last2}.

## legal/note xmf
Demanda contra {name}, con domicilio en {addr:ES}, interpuesta por {name2}, representado por la letrada {name3}.

## chat/chat m
ey {lfirst}! ¿me llamas al {phone:ES}? estoy en casa de {lfirst2}

## chat/chat f
¿conoces a {first}? ahora vive en {city}, en insta es {handle}

## chat/chat x
¿quedamos a las 9 en casa de {first}? es {addr:ES}, 3º

## chat/chat x
{lfirst} ¿tienes el correo de {first2}? creo que era {email2}

## sales/signature f
Un saludo,

{name}
{job}
{company} | {addr:ES}
Directo: {phone:ES}
{url:li}

## sales/email m
En {event} conocí a {name}; dirige compras en {company} en {city}. Prefiere WhatsApp: {phonei}. Web: {url:site}

## it/ticket x
{ticket} Cuenta bloqueada
Solicitante: {name} <{email}>
Último acceso: {date} desde {ip}
Devolver llamada: {phone}

## it/email f
Por favor, autorizad la IP {ip} para {name}, que este mes trabaja desde {city}. En el chat es {handle}.

## admin/form x
Solicitud de tarjeta de aparcamiento
Nombre: {capsname}
Matrícula: {plate:ES}
Domicilio: {addr:ES}
Teléfono: {phone:ES}

## admin/email fm
La profesora {last} ocupará el piso de invitados desde el {date}; las facturas a {email}. Su colega, el Dr. {name2}, de nacionalidad {nat2}, llega un día después.

## hr/email x
Atentamente,
{name}

PD: {first2}, de contabilidad, tiene móvil nuevo: {phone2:ES}

## support/email mf
Para la entrega en Italia, llamad a {name} al {phone:IT} o a su compañera {name2} al {phone2:MX}.

## admin/email x
Dad de alta al proveedor {company} (NIF-IVA {vat:ES}, IBAN {iban:ES}); contacto {name}, {phone:ES}.

## hr/note f
La Sra. {name}, desplazada a Portugal: DNI {dni}, NIE {nie}, nómina en {iban:PT}.

## banking/form x
Titular: {name}
DNI: {dni}
IBAN: {iban:ES}
Segunda tarjeta: {card:diners}

## support/chat x
hola, quiero quitar mi tarjeta {card:discover} y poner la {card:jcb}, está a nombre de {name}

## legal/email x
La administradora de {company} (NIF-IVA {vat:ES}) es {name}, NIE {nie}, con domicilio en {addr:ES}.

## evasion/email x
mi número de tarjeta: {card!fw}, a nombre de {name}

## evasion/chat x
escríbeme a {email!ent} o llámame: {phone!spaced}

## evasion/form x
Nombre: {name!nbspc}
NIE: {nie!dash}
Correo: {email!cyr}

## evasion/chat x
soy {name!tabs}, tarjeta {card!wrap}

## evasion/email x
IBAN nuevo: {iban!zw} (titular {name!shy})

## evasion/chat x
estoy en {email!pct} / {phone!dots}

## evasion/form x
Titular: {name!ctrl}
Tel.: {phone!fw}
DNI: {dni!spaced}

## evasion/chat x
correo {email!atdot} o tel {phone!wrap}

## benign/report
El consejo aprobó el presupuesto de {year}: inversiones por {amount}, el {pct} % para la planta de {place}.

## benign/email
Hola, el webinar sobre la versión {version} de la API es el {weekday} a las {time}; la grabación estará en {weblink}.

## benign/prose
La tienda de {place} vendió {qty} unidades del {product} en la semana de lanzamiento, un {pct} % por encima de lo previsto.

## benign/ticket
{ticket}: el lote {num:10} quedó retenido en calidad por un error de etiquetado. Nueva fabricación el {date}.

## benign/chat
despliegue de la {version} en producción hecho ✅ p95 bajó de 210 ms a 180 ms

## benign/report
Los costes de flete desde {place} subieron un {pct} % en {year}; la naviera {company} acepta un tope de {amount} por contenedor.

## benign/email
Adjunto el presupuesto para {qty} x {product} ({sku}). Entrega en nuestro almacén de {place} en 10 días laborables, total {amount}.

## benign/prose
La pieza {num:9} sustituye a la {num:9}; ambas valen para el {product}. El stock restante se destruirá después del {date}.

## benign/report
KPI de almacén, semana {qty}: precisión de preparación {pct} %, {qty} palés recibidos de {place}.

## benign/prose
{event} vuelve el año que viene con {qty} expositores; entradas anticipadas a {amount} hasta el {date}.

## benign/email
La factura {invoice} lleva 30 días vencida. Rogamos abonen {amount} indicando la referencia {num:11}.

## benign/ticket
Cambio {ticket}: subir el clúster de la {version} a la {version}, ventana de mantenimiento {weekday} {time}.

## benign/prose
La licitación de la ampliación del tranvía de {place} cierra el {date}; los licitadores deben aportar {qty} referencias.

## benign/chat
ojo, la unidad de demo del {product} está en la sala {room}, la clave del wifi está en la pizarra
"""
