package dev.intake.local.events;

import dev.intake.app.Deployment;
import dev.intake.local.store.SqliteDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * A queue with the semantics of an SQS standard queue, kept in the local SQLite database (table
 * {@code queue_messages}), so that a restart loses nothing sent: a received message is hidden for
 * the visibility timeout and then received again unless it was deleted, and with a redrive policy a
 * message received {@code maxReceiveCount} times that comes up again moves to the dead-letter
 * queue instead (as SQS moves it when its receive count would exceed the maximum). Unlike SQS,
 * messages come out in the order they were sent (a redelivered one keeps its place).
 */
public final class LocalQueue {
    private static final Logger LOG = Logger.getLogger(LocalQueue.class.getName());

    /** A message as stored; {@code firstReceivedAt} is null until it is first received. */
    public record Message(String messageId, String body, Instant sentAt, int receiveCount, Instant firstReceivedAt) {
    }

    /** A message just received (its receive count includes this receive), and the handle that deletes it. */
    public record Received(Message message, String receiptHandle) {
    }

    /** SQS's redrive policy: where a message goes after {@code maxReceiveCount} receives. */
    public record RedrivePolicy(LocalQueue deadLetterQueue, int maxReceiveCount) {
        public RedrivePolicy {
            if (maxReceiveCount < 1) {
                throw new IllegalArgumentException("maxReceiveCount must be at least 1, not " + maxReceiveCount);
            }
        }
    }

    private final SqliteDatabase database;
    private final String name;
    private final String arn;
    private final Clock clock;
    private final Duration visibilityTimeout;
    private final RedrivePolicy redrive;
    private final List<Runnable> sendListeners = new CopyOnWriteArrayList<>();

    /**
     * @param redrive null: messages are received again and again until deleted (a dead-letter queue)
     */
    public LocalQueue(SqliteDatabase database, String name, Deployment deployment, Clock clock,
                      Duration visibilityTimeout, RedrivePolicy redrive) {
        if (visibilityTimeout.isNegative()) {
            throw new IllegalArgumentException("A visibility timeout cannot be negative: " + visibilityTimeout);
        }
        this.database = database;
        this.name = name;
        this.arn = "arn:aws:sqs:" + deployment.region() + ":" + deployment.account() + ":" + name;
        this.clock = clock;
        this.visibilityTimeout = visibilityTimeout;
        this.redrive = redrive;
    }

    public String name() {
        return name;
    }

    public String arn() {
        return arn;
    }

    public Optional<RedrivePolicy> redrivePolicy() {
        return Optional.ofNullable(redrive);
    }

    /** Runs after every send (a consumer waiting for messages uses it to wake up). */
    public void onSend(Runnable listener) {
        sendListeners.add(listener);
    }

    /** Queues {@code body}; returns the message's id. */
    public String send(String body) {
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        database.transaction("queue a message on " + name, db -> {
            PreparedStatement insert = db.statement("INSERT INTO queue_messages (queue, id, body, sent_at, visible_at,"
                    + " receive_count) VALUES (?, ?, ?, ?, ?, 0)");
            insert.setString(1, name);
            insert.setString(2, id);
            insert.setString(3, body);
            insert.setLong(4, now);
            insert.setLong(5, now);
            insert.executeUpdate();
            return null;
        });
        sendListeners.forEach(Runnable::run);
        return id;
    }

    /**
     * Receives up to {@code max} visible messages, oldest first, hiding each for the visibility
     * timeout; first moves the visible messages that have been received as often as the redrive
     * policy allows to the dead-letter queue.
     */
    public List<Received> receive(int max) {
        long now = clock.millis();
        List<Message> deadLettered = new ArrayList<>();
        List<Received> received = database.transaction("receive messages from " + name, db -> {
            if (redrive != null) {
                deadLettered.addAll(redriveExhausted(db, now));
            }
            PreparedStatement select = db.statement("SELECT id, body, sent_at, receive_count, first_received_at"
                    + " FROM queue_messages WHERE queue = ? AND visible_at <= ? ORDER BY seq LIMIT ?");
            select.setString(1, name);
            select.setLong(2, now);
            select.setInt(3, max);
            List<Message> visible = messages(select);
            List<Received> batch = new ArrayList<>();
            PreparedStatement hide = db.statement("UPDATE queue_messages SET receive_count = ?, first_received_at = ?,"
                    + " visible_at = ?, receipt_handle = ? WHERE id = ?");
            for (Message m : visible) {
                Message updated = new Message(m.messageId(), m.body(), m.sentAt(), m.receiveCount() + 1,
                        m.firstReceivedAt() == null ? Instant.ofEpochMilli(now) : m.firstReceivedAt());
                String receiptHandle = UUID.randomUUID() + "#" + updated.receiveCount();
                hide.setInt(1, updated.receiveCount());
                hide.setLong(2, updated.firstReceivedAt().toEpochMilli());
                hide.setLong(3, now + visibilityTimeout.toMillis());
                hide.setString(4, receiptHandle);
                hide.setString(5, m.messageId());
                hide.executeUpdate();
                batch.add(new Received(updated, receiptHandle));
            }
            return batch;
        });
        for (Message m : deadLettered) {
            LOG.warning("Message " + m.messageId() + " of queue " + name + " was received " + m.receiveCount()
                    + " times without being handled and is now in the dead-letter queue " + redrive.deadLetterQueue().name
                    + ". Why it failed is logged above, with each receive; its body is kept in the local database:"
                    + " SELECT body FROM queue_messages WHERE id = '" + m.messageId() + "'. Body: " + m.body());
        }
        return received;
    }

    private List<Message> redriveExhausted(SqliteDatabase db, long now) throws SQLException {
        PreparedStatement select = db.statement("SELECT id, body, sent_at, receive_count, first_received_at"
                + " FROM queue_messages WHERE queue = ? AND visible_at <= ? AND receive_count >= ? ORDER BY seq");
        select.setString(1, name);
        select.setLong(2, now);
        select.setInt(3, redrive.maxReceiveCount());
        List<Message> exhausted = messages(select);
        PreparedStatement move = db.statement("UPDATE queue_messages SET queue = ?, visible_at = ?, receipt_handle = NULL"
                + " WHERE id = ?");
        for (Message m : exhausted) {
            move.setString(1, redrive.deadLetterQueue().name);
            move.setLong(2, now);
            move.setString(3, m.messageId());
            move.executeUpdate();
        }
        return exhausted;
    }

    /**
     * Deletes the message this handle was given for; false if it is gone or was received again since
     * (its handle changed), as SQS ignores a stale handle.
     */
    public boolean delete(String receiptHandle) {
        return database.transaction("delete a message from " + name, db -> {
            PreparedStatement delete = db.statement("DELETE FROM queue_messages WHERE queue = ? AND receipt_handle = ?");
            delete.setString(1, name);
            delete.setString(2, receiptHandle);
            return delete.executeUpdate() == 1;
        });
    }

    /** Every message in the queue, visible or not, in the order sent, without receiving any. */
    public List<Message> messages() {
        return database.transaction("list the messages of " + name, db -> {
            PreparedStatement select = db.statement("SELECT id, body, sent_at, receive_count, first_received_at"
                    + " FROM queue_messages WHERE queue = ? ORDER BY seq");
            select.setString(1, name);
            return messages(select);
        });
    }

    /** When the next message becomes visible (now or earlier if one is visible); empty if the queue is empty. */
    public Optional<Instant> nextVisibleAt() {
        return database.transaction("look at " + name, db -> {
            PreparedStatement select = db.statement("SELECT MIN(visible_at) FROM queue_messages WHERE queue = ?");
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                long at = rows.getLong(1);
                return rows.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(at));
            }
        });
    }

    /** How many messages could be received now (SQS's ApproximateNumberOfMessagesVisible). */
    public int visibleCount() {
        long now = clock.millis();
        return database.transaction("count the messages of " + name, db -> {
            PreparedStatement count = db.statement("SELECT COUNT(*) FROM queue_messages WHERE queue = ? AND visible_at <= ?");
            count.setString(1, name);
            count.setLong(2, now);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        });
    }

    private static List<Message> messages(PreparedStatement select) throws SQLException {
        List<Message> messages = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long firstReceived = rows.getLong(5);
                Instant first = rows.wasNull() ? null : Instant.ofEpochMilli(firstReceived);
                messages.add(new Message(rows.getString(1), rows.getString(2), Instant.ofEpochMilli(rows.getLong(3)),
                        rows.getInt(4), first));
            }
        }
        return messages;
    }
}
