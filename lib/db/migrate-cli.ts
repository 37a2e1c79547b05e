// `npm run db:migrate`: apply pending migrations to DATABASE_URL (default: .local/console.db).
import { databaseConfig } from "./config";
import { migrate } from "./migrate";

const config = databaseConfig(process.env.DATABASE_URL);
migrate(config)
  .then((r) => {
    console.log(
      `${config.kind}: applied ${r.applied.length ? r.applied.join(", ") : "nothing"}; already applied ${r.alreadyApplied.length}`,
    );
  })
  .catch((err: Error) => {
    console.error(`migration failed: ${err.message}`);
    process.exit(1);
  });
