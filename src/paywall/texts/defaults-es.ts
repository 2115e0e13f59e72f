/** The Spanish texts the bot sends until the operator edits them (Telegram HTML; plain labels have no tags). */
import type { TextKey } from './keys.js';

/** Spanish defaults, one per text key. */
export const ES_DEFAULTS: Readonly<Record<TextKey, string>> = Object.freeze({
  'start.greeting': '👋 <b>¡Te damos la bienvenida!</b>\nAquí puedes comprar acceso a nuestros canales y grupos privados con Telegram Stars ⭐.\n\nElige un plan:',
  'start.no_plans': 'Ahora mismo no hay planes a la venta. Vuelve a consultar más tarde.',
  'plans.header': '<b>Planes</b>\nToca un plan para comprarlo con Telegram Stars ⭐.',
  'plans.item': '• <b>{title}</b> — {price} ⭐ · {duration}',
  'plans.buy_button': '{title} · {price} ⭐',
  'plans.subscribe_intro': '<b>{title}</b> es una suscripción: {price} ⭐ cada 30 días, renovada automáticamente hasta que la canceles.\nToca el botón para suscribirte.',
  'plans.unavailable': 'Lo sentimos, este plan ya no está disponible. Consulta /plans para ver lo que está a la venta.',
  'invoice.title': '{title}',
  'invoice.description': '{title}: acceso a nuestros chats privados ({duration}).',
  'checkout.declined.unknown_order': 'Esta factura no es válida para tu cuenta. No se te ha cobrado nada. Abre /plans y vuelve a comprar.',
  'checkout.declined.not_pending': 'Esta factura ya se pagó o ha caducado. No se te ha cobrado nada. Abre /plans para comprar de nuevo.',
  'checkout.declined.plan_unavailable': 'Este plan ya no está a la venta. No se te ha cobrado nada. Consulta /plans para ver lo que está a la venta.',
  'checkout.declined.mismatch': 'El importe de esta factura no coincide con el pedido. No se te ha cobrado nada. Abre /plans e inténtalo de nuevo.',
  'checkout.declined.cannot_manage_chat': 'El chat del vendedor aún no está listo para admitir miembros. No se te ha cobrado nada; inténtalo más tarde.',
  'payment.confirmed':
    '✅ <b>¡Pago recibido, gracias!</b>\n<b>{title}</b> está activo. Vence: {expiry}.\n\n' +
    'Toca los botones de abajo para solicitar unirte; se te admitirá automáticamente. Cada enlace funciona una sola vez y solo para ti.',
  'payment.invite_intro':
    '🔗 Aquí tienes nuevos enlaces de invitación para <b>{title}</b>. Toca un botón para solicitar unirte; se te admitirá automáticamente. Cada enlace funciona una sola vez.',
  'access.join_approved': '✅ ¡Te damos la bienvenida a <b>{chat}</b>! Tu solicitud para unirte fue aprobada.',
  'access.join_declined': 'Tu solicitud para unirte a <b>{chat}</b> fue rechazada: ninguna suscripción activa lo incluye. Consulta /plans para obtener acceso.',
  'status.header': '<b>Tus suscripciones</b>',
  'status.none': 'Aún no tienes ninguna suscripción. Consulta /plans para conseguir una.',
  'status.active_item': '✅ <b>{title}</b>: activa. Vence: {expiry}.',
  'status.expired_item': '⌛ <b>{title}</b>: finalizada ({expiry}).',
  'status.granted_access': 'Acceso concedido por un administrador',
  'status.renew_button': '🔄 Renovar {title}',
  'status.fresh_link_button': '🔗 Nuevo enlace de invitación: {title}',
  help:
    '<b>Cómo funciona este bot</b>\n' +
    '1. Elige un plan en /plans y paga con Telegram Stars ⭐.\n' +
    '2. Recibirás un enlace de invitación para cada chat privado del plan: tócalo para solicitar unirte y se te admitirá automáticamente.\n' +
    '3. /status muestra tus suscripciones y cuándo vencen, y te da enlaces de invitación nuevos.\n\n' +
    'Antes de que termine tu acceso recibirás un recordatorio, y puedes renovar cuando quieras.\n\n' +
    '/terms: condiciones del servicio\n/paysupport: ayuda con un pago',
  terms:
    '<b>Condiciones del servicio</b>\n' +
    '<i>(El vendedor debe sustituir este texto por sus propias condiciones.)</i>\n\n' +
    '1. Una compra te da acceso a los chats privados de su plan durante el periodo indicado o, en un plan de por vida, mientras los chats existan.\n' +
    '2. Los pagos se hacen en Telegram Stars, a través de Telegram.\n' +
    '3. El acceso es personal: los enlaces de invitación funcionan una sola vez y no deben compartirse.\n' +
    '4. Los reembolsos quedan a criterio del vendedor; un reembolso descuenta el tiempo que compró ese pago.\n' +
    '5. Quien incumpla las normas de un chat puede ser expulsado sin reembolso.\n' +
    '6. Para dudas y problemas con un pago, usa /paysupport.',
  paysupport:
    '<b>Ayuda con un pago</b>\n' +
    '¿Has pagado y no tienes acceso? Envía primero /status: muestra tus suscripciones y te da enlaces de invitación nuevos.\n\n' +
    'Para cualquier otra cosa, contacta con el vendedor indicando la fecha y el plan de tu pago: ' +
    '<i>(el vendedor debe poner aquí un contacto, como @usuario o una dirección de correo)</i>.\n\n' +
    'El soporte de Telegram no puede ayudar con las compras hechas en este bot.',
  'reminder.expiring': '⏰ Tu suscripción <b>{title}</b> vence el {expiry}.\nRenueva ahora para mantener tu acceso: el nuevo periodo empieza cuando termine el actual.',
  'expired.notice': '⌛ Tu acceso ha terminado y se te ha retirado de los chats privados.\nPuedes renovar cuando quieras para volver a entrar.',
  'refund.done':
    '↩️ Se te han reembolsado {amount} ⭐.\nEl tiempo que compró ese pago se ha descontado de tu suscripción; si no queda tiempo, tu acceso ha terminado. /status muestra lo que queda.',
  'grant.notice': '🎁 Un administrador te ha dado acceso. Vence: {expiry}.\nToca los botones de abajo para solicitar unirte; se te admitirá automáticamente.',
  'revoke.notice': 'Un administrador ha revocado tu acceso y se te ha retirado de los chats privados. Si crees que es un error, consulta /paysupport.',
  'admin.sale': '💰 <b>Venta</b>: {amount} ⭐ por <b>{plan}</b> del usuario <code>{user}</code> ({source}).',
  'admin.refund': '↩️ <b>Reembolso</b>: {amount} ⭐ al usuario <code>{user}</code> (vía {via}).',
  'admin.reconciled':
    '🔁 <b>Conciliado con Telegram</b>: {recorded} pago(s) perdido(s) registrado(s), {refunded} reembolso(s) aplicado(s), {skipped} transacción(es) que hay que revisar (ver los registros).',
  'admin.job_failed': '⚠️ <b>Una tarea ha fallado</b> y no se reintentará: #{job} ({type}).\n<code>{error}</code>',
  'admin.runtime_stalled':
    '⚠️ <b>El bot no está recibiendo actualizaciones.</b>\nEl proceso en {host} sigue en marcha, pero no llega ninguna actualización. Última actualización recibida: {since}.\nRevisa el panel y los registros.',
  'admin.runtime_conflict':
    '⚠️ <b>Otro programa está pidiendo las actualizaciones de este bot</b> (409 Conflict) desde {since}, así que el proceso en {host} recibe pocas o ninguna.\n' +
    'Probablemente una versión anterior que sigue en marcha o una copia en otro servidor: detenla. Si continúa, este proceso se detendrá (PAYWALL_CONFLICT_GIVEUP).',
  'admin.runtime_recovered': '✅ <b>El bot vuelve a recibir actualizaciones</b> en {host} (detenido desde {since}).',
  'admin.stats':
    '<b>Estadísticas</b>\nUsuarios: {users}\nSuscriptores activos: {activeSubscribers}\n' +
    'Ingresos: {revenueStars} ⭐ (hoy {revenueToday} ⭐, últimos 30 días {revenue30d} ⭐)\nPagos: {payments}, reembolsos: {refunds}',
  'admin.usage':
    '<b>Comandos de administración</b>\n' +
    '<code>/grant &lt;user_id&gt; &lt;duración&gt;</code>: da acceso, p. ej. <code>/grant 123456789 30d</code> ' +
    '(duraciones: <code>12h</code>, <code>30d</code>, <code>lifetime</code>)\n' +
    '<code>/revoke &lt;user_id&gt;</code>: termina ya todo el acceso de un usuario\n' +
    '<code>/stats</code>: ventas y suscriptores',
  'admin.granted': '✅ El usuario <code>{user}</code> tiene acceso. Vence: {expiry}.',
  'admin.revoked': '✅ Acceso del usuario <code>{user}</code> revocado: {count} suscripción(es) terminada(s).',
  'admin.error': '⚠️ {error}',
  'error.generic': 'Lo sentimos, algo salió mal. Inténtalo de nuevo en un momento.',
  'commands.start': 'Bienvenida y planes',
  'commands.plans': 'Planes y precios',
  'commands.status': 'Tus suscripciones y enlaces de invitación',
  'commands.help': 'Cómo funciona este bot',
  'commands.terms': 'Condiciones del servicio',
  'commands.paysupport': 'Ayuda con un pago',
});
