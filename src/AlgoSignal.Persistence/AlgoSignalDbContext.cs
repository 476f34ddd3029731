using System.Text;
using AlgoSignal.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace AlgoSignal.Persistence;

/// <summary>The PostgreSQL model. The schema itself comes from the SQL migrations; this maps onto it.</summary>
public sealed class AlgoSignalDbContext(DbContextOptions<AlgoSignalDbContext> options) : DbContext(options)
{
    public DbSet<StrategyEntity> Strategies => Set<StrategyEntity>();
    public DbSet<AlertEntity> Alerts => Set<AlertEntity>();
    public DbSet<RiskDecisionEntity> RiskDecisions => Set<RiskDecisionEntity>();
    public DbSet<OrderEntity> Orders => Set<OrderEntity>();
    public DbSet<OrderEventEntity> OrderEvents => Set<OrderEventEntity>();
    public DbSet<PositionEntity> Positions => Set<PositionEntity>();
    public DbSet<PaperAccountEntity> PaperAccounts => Set<PaperAccountEntity>();
    public DbSet<WebhookLogEntity> WebhookLog => Set<WebhookLogEntity>();
    public DbSet<KillSwitchEntity> KillSwitch => Set<KillSwitchEntity>();
    public DbSet<ReconciliationDriftEntity> ReconciliationDrifts => Set<ReconciliationDriftEntity>();
    public DbSet<ReconciliationRunEntity> ReconciliationRuns => Set<ReconciliationRunEntity>();
    public DbSet<NotificationEntity> Notifications => Set<NotificationEntity>();
    public DbSet<NotificationChannelEntity> NotificationChannels => Set<NotificationChannelEntity>();
    public DbSet<ComponentStatusEntity> ComponentStatus => Set<ComponentStatusEntity>();
    public DbSet<ConsoleSessionRevocationEntity> ConsoleSessionRevocations => Set<ConsoleSessionRevocationEntity>();

    /// <summary>The sequence behind <c>orders.id</c>; each <c>nextval</c> reserves <see cref="OrderIdBlock"/> ids.</summary>
    public const string OrderIdSequence = "orders_id_seq";
    public const int OrderIdBlock = 100;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasSequence<long>(OrderIdSequence).IncrementsBy(OrderIdBlock);
        modelBuilder.Entity<StrategyEntity>(e =>
        {
            e.ToTable("strategies").HasKey(x => x.Name);
            e.Property(x => x.Definition).HasColumnType("jsonb");
        });
        modelBuilder.Entity<AlertEntity>(e =>
        {
            e.ToTable("alerts").HasKey(x => x.AlertId);
            e.Property(x => x.Payload).HasColumnType("jsonb");
            e.Property(x => x.Signal).HasColumnType("jsonb");
        });
        modelBuilder.Entity<RiskDecisionEntity>().ToTable("risk_decisions").HasKey(x => x.Id);
        modelBuilder.Entity<OrderEntity>(e =>
        {
            e.ToTable("orders").HasKey(x => x.Id);
            // Ids come in blocks from the column's own sequence (migration 0005): an order and its
            // events or bracket children then go to PostgreSQL in one batch.
            e.Property(x => x.Id).UseHiLo(OrderIdSequence);
            e.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.OrderId);
        });
        modelBuilder.Entity<OrderEventEntity>().ToTable("order_events").HasKey(x => x.Id);
        modelBuilder.Entity<KillSwitchEntity>(e =>
        {
            e.ToTable("kill_switch").HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
        });
        modelBuilder.Entity<PositionEntity>().ToTable("positions").HasKey(x => new { x.Broker, x.Account, x.Symbol });
        // Read-only: cash is written by the paper broker as increments per shard (migration 0015) and read summed.
        modelBuilder.Entity<PaperAccountEntity>().ToView("paper_account_balances").HasKey(x => x.Account);
        modelBuilder.Entity<ReconciliationDriftEntity>().ToTable("reconciliation_drifts").HasKey(x => x.Id);
        modelBuilder.Entity<ReconciliationRunEntity>().ToTable("reconciliation_runs").HasKey(x => x.Broker);
        modelBuilder.Entity<NotificationEntity>(e =>
        {
            e.ToTable("notifications").HasKey(x => x.Id);
            e.Property(x => x.Data).HasColumnType("jsonb");
        });
        modelBuilder.Entity<NotificationChannelEntity>().ToTable("notification_channels").HasKey(x => x.Channel);
        modelBuilder.Entity<ComponentStatusEntity>().ToTable("component_status").HasKey(x => x.Component);
        modelBuilder.Entity<ConsoleSessionRevocationEntity>().ToTable("console_session_revocations").HasKey(x => x.SessionId);
        modelBuilder.Entity<WebhookLogEntity>(e =>
        {
            e.ToTable("webhook_log").HasKey(x => x.Id);
            e.Property(x => x.Payload).HasColumnType("jsonb");
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
