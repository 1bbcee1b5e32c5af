package dev.intake.local.store;

import dev.intake.core.ports.SigningKeys;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The page-token signing key, made once at random and kept in the database's settings. */
public final class SqliteSigningKeys implements SigningKeys {
    private final SqliteDatabase db;

    public SqliteSigningKeys(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public byte[] pageTokenKey() {
        return db.transaction("read the page-token key", db -> {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            PreparedStatement insert = db.statement("INSERT INTO settings (name, value) VALUES ('page-token-key', ?) "
                    + "ON CONFLICT DO NOTHING");
            insert.setBytes(1, secret);
            insert.executeUpdate();
            try (ResultSet row = db.statement("SELECT value FROM settings WHERE name = 'page-token-key'").executeQuery()) {
                row.next();
                return row.getBytes(1);
            }
        });
    }
}
