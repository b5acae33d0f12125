import type { Executor } from './store';
import type { UnitOfWork } from './unitOfWork';

/** The controller's own running software version (the EWC image on the AP that hosts it), in memory and written behind. */
export class ControllerRepository {
  private dirty = false;

  private constructor(
    private current: string,
    private readonly store: UnitOfWork,
  ) {
    store.register({
      take: () => {
        if (!this.dirty) return null;
        this.dirty = false;
        const version = this.current;
        return {
          write: async (tx) => {
            await tx
              .insertInto('controller')
              .values({ id: 1, version })
              .onConflict((conflict) => conflict.column('id').doUpdateSet({ version }))
              .execute();
          },
          restore: () => {
            this.dirty = true;
          },
        };
      },
    });
  }

  static async load(db: Executor, store: UnitOfWork, initialVersion: string): Promise<ControllerRepository> {
    const row = await db.selectFrom('controller').select('version').where('id', '=', 1).executeTakeFirst();
    return new ControllerRepository(row?.version ?? initialVersion, store);
  }

  version(): string {
    return this.current;
  }

  setVersion(version: string): void {
    this.current = version;
    this.dirty = true;
    this.store.changed();
  }
}
