import type { Kysely } from 'kysely'

export async function up (_db: Kysely<any>): Promise<void> {
}

export async function down (): Promise<void> {
  throw new Error('migrations are forward-only')
}
