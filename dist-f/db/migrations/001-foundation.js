import { sql } from 'kysely';
export async function up(db) {
    await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen', 'bigint')
        .addColumn('data_retention_days', 'integer', (c) => c.notNull().defaultTo(30))
        .addColumn('two_factor_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed_login_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_failed_login', 'bigint')
        .addColumn('account_locked_until', 'bigint')
        .addColumn('key_rotation_date', 'bigint', (c) => c.notNull())
        .addColumn('last_password_change', 'bigint', (c) => c.notNull())
        .addColumn('security_settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .execute();
    // "Alice" and "alice" are one name: no look-alike accounts.
    await sql `create unique index users_username_lower on users (lower(username))`.execute(db);
    await db.schema.createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('last_activity', 'bigint', (c) => c.notNull())
        .addColumn('ip_address', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('device_label', 'text')
        .addColumn('is_valid', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    await db.schema.createTable('security_events')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event_data', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('ip_address', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('security_events_user_time').on('security_events').columns(['user_id', 'created_at']).execute();
}
export async function down() {
    throw new Error('migrations are forward-only');
}
//# sourceMappingURL=001-foundation.js.map